import Foundation
import Testing

@testable import Pix2Pix

/// `tinct train`'s closing summary: where the run's wall time went.
@Suite("Training times", .serialized)
struct TrainingTimesTests {
    @Test("the summary gives images/s end to end and in the steps alone, each phase's share and the loader's work")
    func summary() {
        var times = TrainingTimes()
        times.add(.readingPictures, 3)
        times.add(.trainingSteps, 8)
        times.add(.waitingForData, 0.5)
        times.add(.validation, 1)
        times.steps = 20
        times.loopSeconds = 10
        (times.loaderBatches, times.loaderSeconds) = (22, 4.4)
        let text = times.summary(batch: 4)
        #expect(text.hasPrefix("20 steps in 10.0 s (after 3.0 s reading pictures): 8.00 images/s end to end, 10.00 in the training steps alone; "))
        #expect(text.contains("training steps 8.0 s (80.0 %)"))
        #expect(text.contains("waiting for data 0.5 s (5.0 %)"))
        #expect(text.contains("validation 1.0 s (10.0 %)"))
        #expect(text.contains("other 0.5 s (5.0 %)"))
        #expect(text.hasSuffix("the loader thread made 22 batches in 4.4 s (200 ms each)"))
    }

    @Test("a run accounts for its steps, samples, validation and checkpoints within the loop's wall time")
    func runAccounts() throws {
        let data = TrainingTests.makeDataset(split: true)
        let trainer = try Trainer(
            config: TrainingTests.tinyConfig(data: data, steps: 6), runDirectory: TrainingTests.temporaryFolder("times"), resume: false
        ) { _ in }
        try trainer.run(stop: StopSignal())
        let times = trainer.times
        #expect(times.steps == 6)
        for phase in TrainingTimes.Phase.allCases {
            #expect((times.seconds[phase] ?? 0) > 0, "\(phase)")
        }
        let loop = TrainingTimes.Phase.allCases.filter { $0 != .readingPictures }.reduce(0) { $0 + times.seconds[$1]! }
        #expect(loop <= times.loopSeconds)
    }
}
