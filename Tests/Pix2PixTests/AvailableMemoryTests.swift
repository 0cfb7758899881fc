import Testing

@testable import Pix2Pix

@Suite("Memory available to a run")
struct AvailableMemoryTests {
    @Test("MemAvailable is read from /proc/meminfo's format; anything else is unknown")
    func parse() {
        let meminfo = "MemTotal:       24683520 kB\nMemFree:        19238912 kB\nMemAvailable:   23572480 kB\nBuffers:  1 kB\n"
        #expect(TrainingMemory.availableMemoryBytes(meminfo: meminfo) == 23_572_480 << 10)
        #expect(TrainingMemory.availableMemoryBytes(meminfo: "MemTotal: 1 kB\n") == nil)
        #expect(TrainingMemory.availableMemoryBytes(meminfo: "MemAvailable: lots\n") == nil)
        #expect(TrainingMemory.availableMemoryBytes(meminfo: nil) == nil)
        // This machine's own (Linux): some memory is available.
        #expect((TrainingMemory.availableMemoryBytes() ?? 0) > 0)
    }

    @Test("A run larger than the memory available is refused with a sentence; a smaller one is not")
    func refusal() {
        let config = TrainingOptions().config(dataPath: "/nowhere")
        let memory = TrainingMemory(config: config, pictures: 4)
        #expect(memory.availabilityRefusal(availableBytes: memory.totalBytes) == nil)
        let refusal = memory.availabilityRefusal(availableBytes: memory.totalBytes - 1)
        #expect(refusal?.contains("available now") == true)
    }
}
