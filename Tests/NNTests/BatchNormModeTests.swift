import NN
import Tensors
import TestSupport
import Testing

@Suite("Batch norm modes")
struct BatchNormModeTests {
    @Test("evaluation with batch statistics equals training output and leaves running stats alone")
    func batchStatisticsInEvaluation() {
        let x = Tensor.randomNormal([2, 3, 5, 4], seed: 1)
        let bn = BatchNorm2d(3)
        bn.runningMean.value.fill(0.3)
        bn.runningVar.value.fill(2)
        bn.isTraining = false
        bn.evaluationUsesBatchStatistics = true
        let y = bn.forward(x).copy()
        #expect(bn.runningMean.value.scalars == [0.3, 0.3, 0.3])
        #expect(bn.batchesTracked.value[0] == 0)
        let reference = BatchNorm2d(3)
        reference.isTraining = true
        #expect(TensorMath.maxAbsDifference(y, reference.forward(x)) < 1e-6)
        bn.evaluationUsesBatchStatistics = false
        #expect(TensorMath.maxAbsDifference(bn.forward(x), y) > 0.01)
    }
}
