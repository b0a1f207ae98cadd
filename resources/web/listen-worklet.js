// The playing end of Listen: a small adaptive jitter buffer on the browser's audio thread.
// monitor.js posts decoded planar chunks; this plays them, keeping just enough in hand to ride
// out network jitter, and reports its fill, underruns and how long the playing sample waited.

const kReportEverySeconds = 0.1;
const kGrowMs = 10; // added to the target after each underrun
const kCalmSeconds = 10; // no underrun for this long before the target starts to come back down
const kDecayMsPerSecond = 0.5;
// If even the lowest fill over this window stood this far above the target, the excess is
// only latency (a burst at start-up, a sender clock running a little fast): skip it.
const kExcessWindowSeconds = 2;
const kExcessMs = 5;

class ListenProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions || {};
    this.minTarget = ((o.minTargetMs ?? 40) / 1000) * sampleRate;
    this.maxTarget = ((o.maxTargetMs ?? 200) / 1000) * sampleRate;
    this.channels = options.outputChannelCount ? options.outputChannelCount[0] : 2;
    // One second holds far more than the 2 x 200 ms the buffer is ever allowed to reach.
    this.capacity = Math.ceil(sampleRate);
    this.ring = Array.from({ length: this.channels }, () => new Float32Array(this.capacity));
    // Absolute frame counters (exact in a double for centuries); fill = write - read.
    this.read = 0;
    this.write = 0;
    this.target = this.minTarget;
    this.priming = true; // silent until the buffer first reaches the target (and after underruns)
    this.underruns = 0;
    this.trims = 0;
    this.lastUnderrun = currentTime;
    this.lastReport = 0;
    this.windowStart = currentTime;
    this.minFill = Infinity;
    // One mark per pushed chunk: where it starts in the ring, its network delay and when it came.
    this.marks = [];
    this.playing = null; // the mark of the chunk now playing
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  onMessage(m) {
    if (m.type === 'push') {
      this.push(m.channels, m.netDelayMs);
    } else if (m.type === 'reset') {
      this.read = this.write;
      this.marks.length = 0;
      this.playing = null;
      this.priming = true;
    }
  }

  push(chunk, netDelayMs) {
    const n = chunk[0].length;
    if (n === 0) return;
    const start = this.write % this.capacity;
    const first = Math.min(n, this.capacity - start);
    for (let c = 0; c < this.channels; c++) {
      const src = chunk[c % chunk.length];
      const dst = this.ring[c];
      dst.set(first === n ? src : src.subarray(0, first), start);
      if (first < n) dst.set(src.subarray(first), 0);
    }
    this.marks.push({ frame: this.write, netDelayMs, arrived: currentTime });
    this.write += n;
    // Latency must not grow without bound (a burst after a stall, or a sender clock a little
    // fast): past twice the target, drop the oldest audio and come back to the target.
    if (this.write - this.read > 2 * this.target) {
      this.read = this.write - Math.round(this.target);
      this.trims++;
    }
    while (this.marks.length > 1 && this.marks[1].frame <= this.read) this.marks.shift();
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    const fill = this.write - this.read;

    if (this.priming && fill >= this.target) this.priming = false;

    if (this.priming) {
      this.minFill = Infinity;
      this.windowStart = currentTime;
    } else {
      this.minFill = Math.min(this.minFill, fill);
      if (currentTime - this.windowStart >= kExcessWindowSeconds) {
        if (this.minFill - this.target > (kExcessMs / 1000) * sampleRate) {
          this.read += Math.round(this.minFill - this.target);
          this.trims++;
        }
        this.minFill = Infinity;
        this.windowStart = currentTime;
      }
    }

    if (!this.priming) {
      const take = Math.min(n, this.write - this.read);
      const start = this.read % this.capacity;
      const first = Math.min(take, this.capacity - start);
      for (let c = 0; c < out.length; c++) {
        const src = this.ring[c % this.channels];
        out[c].set(src.subarray(start, start + first), 0);
        if (first < take) out[c].set(src.subarray(0, take - first), first);
      }
      while (this.marks.length > 1 && this.marks[1].frame <= this.read) this.marks.shift();
      this.playing = this.marks.length ? this.marks[0] : null;
      this.read += take;
      if (take < n) {
        // Ran dry: the rest of this quantum is silence. Hold a little more from now on.
        this.underruns++;
        this.target = Math.min(this.maxTarget, this.target + (kGrowMs / 1000) * sampleRate);
        this.priming = true;
        this.lastUnderrun = currentTime;
      }
    }

    // When calm for a while, come back towards the small target slowly, so one burst of
    // jitter does not cost latency for the rest of the session.
    if (this.target > this.minTarget && currentTime - this.lastUnderrun > kCalmSeconds) {
      const framesPerQuantum = (kDecayMsPerSecond / 1000) * n;
      this.target = Math.max(this.minTarget, this.target - framesPerQuantum);
    }

    if (currentTime - this.lastReport >= kReportEverySeconds) {
      this.lastReport = currentTime;
      const p = this.playing;
      this.port.postMessage({
        type: 'stats',
        playing: !this.priming,
        bufferMs: ((this.write - this.read) / sampleRate) * 1000,
        targetMs: (this.target / sampleRate) * 1000,
        underruns: this.underruns,
        trims: this.trims,
        // How long the sample now playing sat here, and how long it took to get here.
        waitedMs: p && !this.priming ? (currentTime - p.arrived) * 1000 : null,
        netDelayMs: p && !this.priming ? p.netDelayMs : null,
      });
    }
    return true;
  }
}

registerProcessor('liverack-listen', ListenProcessor);
