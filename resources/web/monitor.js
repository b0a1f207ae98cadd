// LiveRack web monitor, browser side: draws the server's snapshots (levels, loudness,
// spectrum, tuner), plays the stream on request (Listen) and edits the rack when allowed.
// The wire format is the server's protocol (core/net); every server string goes in as text.

const query = new URLSearchParams(location.search);
const token = query.get('token') || '';
// Each decode and playback path can be forced from the URL, so tests reach all of them:
// ?codec=pcm|opus, ?playback=timeline (scheduled AudioBuffers instead of the AudioWorklet).
const forcedCodec = query.get('codec');
const forcedPlayback = query.get('playback');

const kMinusInf = '−∞';
const kDash = '—';
const kOpusRate = 48000;
const kMinBufferMs = 40;
const kMaxBufferMs = 200;

// What the page knows, kept current for tests and for anyone poking at it from the console.
const monitor = {
  snapshot: null,
  hello: null,
  authorized: null,
  listen: { state: 'off', codec: null, playback: null, bufferMs: null, targetMs: null, dropouts: 0,
    skips: 0, latencyMs: null, latencyParts: null, levelDbfs: null },
};
window.liverackMonitor = monitor;

// ---------------------------------------------------------------------------------------------
// Small helpers

const $ = (id) => document.getElementById(id);

function make(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Readouts change at 60 Hz; touching the DOM only when the text changes keeps layout quiet.
function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

// ASCII hyphen-minus and never "-0.0", so every readout parses back with parseFloat.
function fixed(v, digits) {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
const levelText = (v, digits = 1) => (finite(v) ? fixed(v, digits) : kMinusInf);
const otherText = (v, digits = 1) => (finite(v) ? fixed(v, digits) : kDash);
function signedText(v, digits = 1) {
  if (!finite(v)) return kDash;
  const s = fixed(v, digits);
  return s.startsWith('-') ? s : `+${s}`;
}
function hzText(hz) {
  if (!finite(hz) || hz <= 0) return kDash;
  if (hz >= 1000) return `${fixed(hz / 1000, hz >= 10000 ? 1 : 2)} kHz`;
  return `${fixed(hz, hz < 100 ? 1 : 0)} Hz`;
}
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

// ---------------------------------------------------------------------------------------------
// The WebSocket, reconnecting with backoff for as long as the page is open

class Connection {
  constructor({ onMessage, onAudio, onState }) {
    this.onMessage = onMessage;
    this.onAudio = onAudio;
    this.onState = onState;
    this.retryMs = 500;
    this.ws = null;
    this.open();
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/ws`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      // The token has to be the first thing the server hears from us.
      if (token) ws.send(JSON.stringify({ type: 'auth', token }));
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') {
        this.onAudio(e.data);
        return;
      }
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg.type === 'hello') {
        this.retryMs = 500;
        this.onState('connected');
      }
      this.onMessage(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onState('reconnecting');
      // Jitter keeps a room full of phones from knocking on the restarted server in step.
      const wait = this.retryMs * (0.75 + Math.random() * 0.5);
      this.retryMs = Math.min(this.retryMs * 2, 8000);
      setTimeout(() => this.open(), wait);
    };
  }

  send(obj) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Header: the stream facts line

class FactsView {
  constructor(dl) {
    this.dd = {};
    const items = [['api', 'API'], ['source', 'source'], ['rate', 'rate'], ['block', 'block'],
      ['latency', 'latency'], ['dsp', 'DSP'], ['xruns', 'xruns'], ['web', 'web']];
    for (const [key, label] of items) {
      const div = make('div');
      div.append(make('dt', '', label), (this.dd[key] = make('dd', '', kDash)));
      dl.append(div);
    }
  }

  update(s) {
    const st = s.stream || {};
    // The protocol sends DSP load as a fraction; a server that says "_percent" has done the sum.
    const pct = (fraction, percent) => {
      if (finite(fraction)) return Math.round(fraction * 100).toString();
      return finite(percent) ? Math.round(percent).toString() : kDash;
    };
    setText(this.dd.api, st.running === false ? `${st.api ?? kDash} (stopped)` : String(st.api ?? kDash));
    this.dd.api.classList.toggle('bad', st.running === false);
    setText(this.dd.source, String(st.source ?? kDash));
    setText(this.dd.rate, finite(st.sample_rate) ? `${st.sample_rate} Hz` : kDash);
    setText(this.dd.block, finite(st.block_frames) ? `${st.block_frames} frames` : kDash);
    setText(this.dd.latency, finite(st.latency_ms) ? `${fixed(st.latency_ms, 1)} ms` : kDash);
    const load = pct(st.dsp_load, st.dsp_load_percent);
    const loadMax = pct(st.dsp_load_max, st.dsp_load_max_percent);
    setText(this.dd.dsp, load === kDash ? kDash : `${load} % (max ${loadMax} %)`);
    setText(this.dd.xruns, finite(st.xruns) ? String(st.xruns) : kDash);
    this.dd.xruns.classList.toggle('bad', st.xruns > 0);
    const w = s.web || {};
    setText(this.dd.web, finite(w.clients) ? `${w.clients} open, ${w.listeners ?? 0} listening` : kDash);
  }
}

// ---------------------------------------------------------------------------------------------
// Level meters: one row per channel on a -60..0 dBFS scale

const kMeterFloorDb = -60;
const meterFraction = (db) => (finite(db) ? clamp((db - kMeterFloorDb) / -kMeterFloorDb, 0, 1) : 0);
const insetFor = (db) => `inset(0 ${(100 - 100 * meterFraction(db)).toFixed(2)}% 0 0)`;

class MeterView {
  constructor(root) {
    this.root = root;
    this.rows = [];
  }

  build(channels) {
    this.root.replaceChildren();
    this.rows = [];
    const names = channels === 2 ? ['L', 'R'] : channels === 1 ? ['M'] : null;
    for (let ch = 0; ch < channels; ch++) {
      const label = make('div', 'meter-label', names ? names[ch] : String(ch + 1));
      const track = make('div', 'meter-track');
      const peak = make('div', 'meter-fill peak');
      const rms = make('div', 'meter-fill rms');
      const hold = make('div', 'meter-hold');
      const clip = make('div', 'meter-clip');
      track.append(peak, rms, hold, clip);
      const readout = make('div', 'meter-readout');
      const peakText = make('b', '', kMinusInf);
      peakText.id = `meter-peak-${ch}`;
      const rmsText = make('b', '', kMinusInf);
      rmsText.id = `meter-rms-${ch}`;
      const pair = (name, b) => {
        const span = make('span');
        span.append(make('small', '', name), b);
        return span;
      };
      readout.append(pair('peak', peakText), pair('rms', rmsText));
      this.root.append(label, track, readout);
      this.rows.push({ peak, rms, hold, clip, peakText, rmsText });
    }
    const scale = make('div', 'meter-scale');
    for (let db = kMeterFloorDb; db <= 0; db += 6) {
      const tick = make('span', (db / 6) % 2 ? 'minor' : '', String(db));
      tick.style.left = `${meterFraction(db) * 100}%`;
      scale.append(tick);
    }
    this.root.append(make('div'), scale, make('div'));
  }

  update(s) {
    const peaks = s.sample_peak_dbfs || [];
    if (peaks.length !== this.rows.length) this.build(peaks.length);
    const rms = s.rms_dbfs || [];
    const holds = s.peak_hold_dbfs || [];
    const clips = s.clips || [];
    this.rows.forEach((row, ch) => {
      row.peak.style.clipPath = insetFor(peaks[ch]);
      row.rms.style.clipPath = insetFor(rms[ch]);
      const hold = holds[ch];
      row.hold.style.left = `${(meterFraction(hold) * 100).toFixed(2)}%`;
      row.hold.style.opacity = finite(hold) && hold > kMeterFloorDb ? '1' : '0';
      const clipped = clips[ch] > 0;
      row.clip.classList.toggle('on', clipped);
      row.clip.title = clipped ? `${clips[ch]} clipped` : '';
      setText(row.peakText, levelText(peaks[ch]));
      setText(row.rmsText, levelText(rms[ch]));
    });
    setText($('true-peak'), levelText(s.true_peak_dbtp));
  }
}

// ---------------------------------------------------------------------------------------------
// Loudness and tuner readouts

function updateLoudness(s) {
  const l = s.loudness || {};
  setText($('loudness-m'), levelText(l.momentary_lufs));
  setText($('loudness-s'), levelText(l.short_term_lufs));
  setText($('loudness-i'), levelText(l.integrated_lufs));
  setText($('loudness-lra'), otherText(l.range_lu));
  setText($('loudness-tp'), levelText(l.true_peak_dbtp));
}

function updateTuner(s) {
  const p = s.pitch || {};
  const voiced = !!p.voiced && finite(p.hz) && p.hz > 0;
  const needle = $('tuner-needle');
  setText($('tuner-note'), voiced && p.note ? String(p.note) : kDash);
  $('tuner-note').classList.toggle('unvoiced', !voiced);
  setText($('tuner-cents'), voiced ? signedText(p.cents) : kDash);
  setText($('tuner-hz'), voiced ? `${fixed(p.hz, 2)} Hz` : kDash);
  needle.classList.toggle('on', voiced);
  if (voiced && finite(p.cents)) {
    const c = clamp(p.cents, -50, 50);
    needle.style.left = `${(50 + c).toFixed(2)}%`;
    needle.classList.toggle('near', Math.abs(c) > 5 && Math.abs(c) <= 15);
    needle.classList.toggle('far', Math.abs(c) > 15);
  }
  const ref = finite(p.reference_a4_hz) ? `A4 = ${fixed(p.reference_a4_hz, 1)} Hz` : '';
  const conf = voiced && finite(p.confidence) ? ` · confidence ${fixed(p.confidence, 2)}` : '';
  setText($('tuner-ref'), ref + conf);
}

// ---------------------------------------------------------------------------------------------
// Spectrum: log frequency 20 Hz..20 kHz, -120..0 dB

const kSpecMinHz = 20;
const kSpecMaxHz = 20000;
const kSpecFloorDb = -120;
const kFreqTicks = [[50, '50'], [100, '100'], [200, '200'], [500, '500'], [1000, '1k'], [2000, '2k'],
  [5000, '5k'], [10000, '10k']];

class SpectrumView {
  constructor(canvas) {
    this.canvas = canvas;
    this.g = canvas.getContext('2d');
    this.background = null; // the grid, drawn once per size
    this.needsResize = true;
    new ResizeObserver(() => (this.needsResize = true)).observe(canvas);
  }

  resize() {
    this.needsResize = false;
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    this.canvas.width = Math.max(1, Math.round(w * dpr));
    this.canvas.height = Math.max(1, Math.round(h * dpr));
    this.dpr = dpr;
    this.w = w;
    this.h = h;
    this.plot = { left: 38, right: w - 10, top: 10, bottom: h - 22 };
    this.background = this.drawGrid();
  }

  x(hz) {
    const p = this.plot;
    return p.left + ((p.right - p.left) * Math.log(hz / kSpecMinHz)) / Math.log(kSpecMaxHz / kSpecMinHz);
  }

  y(db) {
    const p = this.plot;
    const d = finite(db) ? clamp(db, kSpecFloorDb, 0) : kSpecFloorDb;
    return p.top + ((p.bottom - p.top) * d) / kSpecFloorDb;
  }

  drawGrid() {
    const c = document.createElement('canvas');
    c.width = this.canvas.width;
    c.height = this.canvas.height;
    const g = c.getContext('2d');
    g.scale(this.dpr, this.dpr);
    const p = this.plot;
    const css = getComputedStyle(document.documentElement);
    const grid = css.getPropertyValue('--grid').trim() || '#232935';
    const faint = css.getPropertyValue('--faint').trim() || '#5d6576';
    g.lineWidth = 1;
    // Faint lines at every 1..9 x decade, stronger at the labelled ticks.
    g.strokeStyle = 'rgba(255,255,255,0.035)';
    g.beginPath();
    for (let decade = 10; decade <= 10000; decade *= 10) {
      for (let m = 1; m <= 9; m++) {
        const f = decade * m;
        if (f < kSpecMinHz || f > kSpecMaxHz) continue;
        const x = Math.round(this.x(f)) + 0.5;
        g.moveTo(x, p.top);
        g.lineTo(x, p.bottom);
      }
    }
    g.stroke();
    g.strokeStyle = grid;
    g.beginPath();
    for (const [f] of kFreqTicks) {
      const x = Math.round(this.x(f)) + 0.5;
      g.moveTo(x, p.top);
      g.lineTo(x, p.bottom);
    }
    for (let db = 0; db >= kSpecFloorDb; db -= 20) {
      const y = Math.round(this.y(db)) + 0.5;
      g.moveTo(p.left, y);
      g.lineTo(p.right, y);
    }
    g.stroke();
    g.fillStyle = faint;
    g.font = '11px system-ui, sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (const [f, label] of kFreqTicks) g.fillText(label, this.x(f), p.bottom + 6);
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let db = 0; db >= kSpecFloorDb; db -= 20) g.fillText(String(db), p.left - 6, this.y(db));
    if (p.right - p.left > 500) {
      g.textAlign = 'left';
      g.textBaseline = 'top';
      g.fillText('Hz', p.right - 14, p.bottom + 6);
    }
    return c;
  }

  draw(spec) {
    if (this.needsResize) this.resize();
    const g = this.g;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, this.canvas.width, this.canvas.height);
    g.drawImage(this.background, 0, 0);
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const db = spec && Array.isArray(spec.db) ? spec.db : [];
    if (db.length === 0) return;
    const n = db.length;
    const minHz = finite(spec.min_hz) && spec.min_hz > 0 ? spec.min_hz : kSpecMinHz;
    const maxHz = finite(spec.max_hz) && spec.max_hz > minHz ? spec.max_hz : kSpecMaxHz;
    const p = this.plot;
    g.save();
    g.beginPath();
    g.rect(p.left, p.top, p.right - p.left, p.bottom - p.top);
    g.clip();
    g.beginPath();
    for (let i = 0; i < n; i++) {
      const x = this.x(minHz * Math.pow(maxHz / minHz, (i + 0.5) / n));
      const y = this.y(db[i]);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    }
    g.strokeStyle = '#45c4b0';
    g.lineWidth = 1.5;
    g.lineJoin = 'round';
    g.stroke();
    g.lineTo(this.x(maxHz), p.bottom);
    g.lineTo(this.x(minHz), p.bottom);
    g.closePath();
    const fill = g.createLinearGradient(0, p.top, 0, p.bottom);
    fill.addColorStop(0, 'rgba(69,196,176,0.45)');
    fill.addColorStop(1, 'rgba(69,196,176,0.03)');
    g.fillStyle = fill;
    g.fill();
    if (finite(spec.peak_hz) && spec.peak_hz > 0 && finite(spec.peak_dbfs)) {
      const x = this.x(spec.peak_hz);
      const y = this.y(spec.peak_dbfs);
      g.fillStyle = '#f2f4f8';
      g.beginPath();
      g.arc(x, y, 3, 0, 2 * Math.PI);
      g.fill();
      g.font = '12px system-ui, sans-serif';
      g.textBaseline = 'bottom';
      const label = hzText(spec.peak_hz);
      const right = x + 8 + g.measureText(label).width > p.right;
      g.textAlign = right ? 'right' : 'left';
      g.fillText(label, right ? x - 8 : x + 8, Math.max(p.top + 14, y - 4));
    }
    g.restore();
    setText($('spectrum-peak'), finite(spec.peak_hz) && spec.peak_hz > 0
      ? `${hzText(spec.peak_hz)}, ${levelText(spec.peak_dbfs)} dBFS` : kDash);
  }
}

// ---------------------------------------------------------------------------------------------
// Listen: playback sinks. Both keep a small buffer that grows after each underrun.

// AudioWorklet path: the buffer lives on the audio thread (listen-worklet.js).
class WorkletSink {
  constructor(ctx, output, channels, rate) {
    this.kind = 'worklet';
    this.channels = channels;
    this.rate = rate;
    this.node = new AudioWorkletNode(ctx, 'liverack-listen', {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [channels],
      processorOptions: { minTargetMs: kMinBufferMs, maxTargetMs: kMaxBufferMs },
    });
    this.node.connect(output);
    this.latest = { playing: false, bufferMs: 0, targetMs: kMinBufferMs, underruns: 0 };
    this.node.port.onmessage = (e) => (this.latest = e.data);
  }

  push(planar, netDelayMs) {
    this.node.port.postMessage({ type: 'push', channels: planar, netDelayMs }, planar.map((a) => a.buffer));
  }

  reset() {
    this.node.port.postMessage({ type: 'reset' });
  }

  stats() {
    return this.latest;
  }

  close() {
    this.node.port.onmessage = null;
    this.node.disconnect();
  }
}

// Fallback without AudioWorklet (an insecure context, e.g. a phone on http://192.168.x.x):
// each chunk becomes an AudioBuffer scheduled back to back on the context's timeline.
// AudioBuffers at the stream's rate let Web Audio do any resampling.
class TimelineSink {
  constructor(ctx, output, channels, rate) {
    this.kind = 'timeline';
    this.ctx = ctx;
    this.output = output;
    this.channels = channels;
    this.rate = rate;
    this.targetS = kMinBufferMs / 1000;
    this.underruns = 0;
    this.trims = 0;
    this.lastUnderrun = ctx.currentTime;
    this.lastDecay = ctx.currentTime;
    this.reset();
  }

  reset() {
    for (const c of this.chunks || []) {
      if (c.start > this.ctx.currentTime) c.source.stop();
    }
    this.chunks = []; // scheduled, oldest first: {source, start, end, netDelayMs, waitedMs}
    this.next = 0;
    this.started = false;
    this.windowStart = this.ctx.currentTime;
    this.minLead = Infinity;
    this.excessS = 0;
  }

  push(planar, netDelayMs) {
    const ctx = this.ctx;
    const now = ctx.currentTime;
    this.decay(now);
    if (this.next < now) {
      // The last chunk has already finished playing: a gap was heard (unless just starting).
      if (this.started) {
        this.underruns++;
        this.targetS = Math.min(kMaxBufferMs / 1000, this.targetS + 0.01);
        this.lastUnderrun = now;
      }
      this.next = now + this.targetS;
    } else if (this.next - now > 2 * this.targetS) {
      // Scheduled audio cannot be taken back, so the newest chunk goes instead of the oldest:
      // either way latency stays bounded.
      this.trims++;
      return;
    } else {
      // As in the worklet: lead that never came near the target for a while is only latency.
      this.minLead = Math.min(this.minLead, this.next - now);
      if (now - this.windowStart >= 2) {
        if (this.minLead - this.targetS > 0.005) {
          this.excessS = this.minLead - this.targetS;
          this.trims++;
        }
        this.minLead = Infinity;
        this.windowStart = now;
      }
    }
    const frames = planar[0].length;
    const duration = frames / this.rate;
    const skip = Math.min(this.excessS, duration);
    this.excessS -= skip;
    if (skip >= duration) return;
    const buffer = ctx.createBuffer(planar.length, frames, this.rate);
    planar.forEach((data, c) => buffer.copyToChannel(data, c));
    const source = new AudioBufferSourceNode(ctx, { buffer });
    source.connect(this.output);
    source.start(this.next, skip);
    const end = this.next + duration - skip;
    this.chunks.push({ source, start: this.next, end, netDelayMs, waitedMs: (this.next - now) * 1000 });
    this.started = true;
    this.next = end;
    while (this.chunks.length && this.chunks[0].end < now) this.chunks.shift();
  }

  decay(now) {
    const elapsed = now - this.lastDecay;
    this.lastDecay = now;
    if (now - this.lastUnderrun > 10) {
      this.targetS = Math.max(kMinBufferMs / 1000, this.targetS - (elapsed * 0.5) / 1000);
    }
  }

  stats() {
    const now = this.ctx.currentTime;
    while (this.chunks.length && this.chunks[0].end <= now) this.chunks.shift();
    const c = this.chunks[0];
    const playing = !!c && c.start <= now;
    return {
      playing,
      bufferMs: Math.max(0, this.next - now) * 1000,
      targetMs: this.targetS * 1000,
      underruns: this.underruns,
      trims: this.trims,
      waitedMs: playing ? c.waitedMs : null,
      netDelayMs: playing ? c.netDelayMs : null,
    };
  }

  close() {
    this.reset();
  }
}

// Opus needs WebCodecs, which (like AudioWorklet) exists only in a secure context.
async function browserDecodesOpus(channels) {
  if (typeof AudioDecoder === 'undefined' || typeof EncodedAudioChunk === 'undefined') return false;
  // Beyond stereo an Opus stream needs a channel mapping the protocol does not carry.
  if (!(channels >= 1 && channels <= 2)) return false;
  try {
    const r = await AudioDecoder.isConfigSupported({ codec: 'opus', sampleRate: kOpusRate, numberOfChannels: channels });
    return !!r.supported;
  } catch {
    return false;
  }
}

function makeAudioContext(rate) {
  try {
    return new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
  } catch {
    return new AudioContext({ latencyHint: 'interactive' }); // the browser's own rate, then
  }
}

class Listener {
  constructor(send) {
    this.send = send;
    this.listen = monitor.listen;
    this.opusOk = false;
    this.ctx = null;
    this.sink = null;
    this.decoder = null;
    this.button = $('listen-button');
    this.tap = $('listen-tap');
    this.note = $('listen-note');
    this.button.addEventListener('click', () => (this.listen.state === 'off' ? this.start() : this.stop()));
    this.tap.addEventListener('change', () => {
      if (this.listen.state !== 'off') this.request();
    });
  }

  onHello(hello) {
    const l = hello.listen || {};
    this.offered = Array.isArray(l.codecs) ? l.codecs : ['pcm'];
    this.helloRate = l.sample_rate;
    // Known before any click, so the click handler can make its AudioContext at once (some
    // browsers allow audio to start only inside the gesture itself).
    browserDecodesOpus(l.channels ?? 2).then((ok) => (this.opusOk = ok));
    this.button.disabled = false;
    // After a reconnect the server has forgotten what we asked for.
    if (this.listen.state !== 'off' && this.ctx) {
      this.gaps++; // whatever was in flight when the socket dropped is lost
      this.request();
    }
  }

  chooseCodec() {
    if (forcedCodec === 'pcm' || !this.offered.includes('opus')) return 'pcm';
    if (this.opusOk) return 'opus';
    if (forcedCodec === 'opus') this.say('this browser cannot decode Opus here; playing PCM');
    else if (!window.isSecureContext) this.say('Opus and AudioWorklet need https or localhost; playing PCM');
    return 'pcm';
  }

  say(text) {
    setText(this.note, text);
  }

  async start() {
    const L = this.listen;
    L.state = 'starting';
    L.dropouts = 0;
    L.levelDbfs = null;
    L.latencyMs = null;
    L.bufferMs = null;
    this.gaps = 0;
    this.underrunsBefore = 0;
    this.playingSince = null;
    this.say('');
    this.renderButton();

    this.codec = this.chooseCodec();
    const streamRate = monitor.snapshot?.stream?.sample_rate || this.helloRate || kOpusRate;
    // Opus decodes at 48 kHz; PCM comes at the stream's rate. A context at the same rate
    // means nothing is resampled by us; the browser converts to the device if it must.
    const ctx = (this.ctx = makeAudioContext(this.codec === 'opus' ? kOpusRate : streamRate));
    ctx.resume().catch(() => {}); // fails only if Stop already closed it
    this.analyser = new AnalyserNode(ctx, { fftSize: 8192 });
    this.analyser.connect(ctx.destination);
    this.timeData = new Float32Array(this.analyser.fftSize);

    this.workletOk = forcedPlayback !== 'timeline' && !!ctx.audioWorklet && typeof AudioWorkletNode !== 'undefined';
    if (this.workletOk) {
      try {
        await ctx.audioWorklet.addModule('listen-worklet.js');
      } catch {
        this.workletOk = false;
      }
    }
    if (this.ctx !== ctx) return; // stopped while the worklet loaded
    if (!this.workletOk && forcedPlayback !== 'timeline' && !this.note.textContent) {
      this.say('no AudioWorklet here (it needs https or localhost): scheduling buffers instead');
    }
    this.request();
    this.timer = setInterval(() => this.tick(), 250);
  }

  request() {
    this.expectSeq = null;
    this.send({ type: 'listen', tap: this.tap.value, codec: this.codec });
  }

  stop() {
    this.send({ type: 'stop_listening' });
    clearInterval(this.timer);
    this.sink?.close();
    this.sink = null;
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    this.ctx?.close().catch(() => {});
    this.ctx = null;
    Object.assign(this.listen, { state: 'off', bufferMs: null, targetMs: null, latencyMs: null, levelDbfs: null });
    this.renderButton();
  }

  onReply(msg) {
    if (!this.ctx) return;
    this.listen.codec = msg.codec;
    this.sink?.reset(); // a new tap or a reconnect: play the new audio, not the rest of the old
    // Counting starts from the first message rather than from 0: where listeners share an
    // encoder, a late joiner's first number is not 0, and that is no gap.
    this.expectSeq = null;
    if (msg.codec === 'pcm' && this.codec === 'opus') this.say('the server sends PCM');
  }

  // 'stopped' while we still listen: the server ended it (the stream was reopened, perhaps at
  // another rate or channel count), and asks us to ask again.
  onStopped(msg) {
    if (!this.ctx) return; // the answer to our own stop_listening
    this.gaps++;
    const now = Date.now();
    if (now - (this.lastAskedAgain || 0) < 1000) {
      // Stopped again at once: asking yet again would only go round in circles.
      this.stop();
      this.say(msg.message ? String(msg.message) : 'the server stopped the stream');
      return;
    }
    this.lastAskedAgain = now;
    this.say('the server restarted the stream; listening again');
    this.request();
  }

  onServerError(message) {
    this.say(String(message));
    if (this.listen.state === 'starting' && !this.sink) this.stop();
  }

  // The network delay of a chunk is taken when it reaches the sink (Date.now() - sent_ms), so
  // for Opus it includes the decoding; the sink adds how long it then waits to be played.
  onAudio(buf) {
    if (!this.ctx || buf.byteLength < 24) return;
    const dv = new DataView(buf);
    if (dv.getUint8(0) !== 1) return;
    const codec = dv.getUint8(1);
    const channels = dv.getUint8(2);
    const rate = dv.getUint32(4, true);
    const frames = dv.getUint32(8, true);
    const seq = dv.getUint32(12, true);
    const sentMs = dv.getFloat64(16, true);
    if (channels === 0 || rate === 0) return;
    if (this.expectSeq !== null && seq > this.expectSeq) this.gaps++; // the server dropped some
    this.expectSeq = seq + 1;
    if (codec === 0) {
      if (buf.byteLength < 24 + frames * channels * 2) return;
      const planar = Array.from({ length: channels }, () => new Float32Array(frames));
      let off = 24;
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < channels; c++, off += 2) planar[c][i] = dv.getInt16(off, true) / 32768;
      }
      this.play(planar, rate, Date.now() - sentMs);
    } else if (codec === 1) {
      this.decodeOpus(new Uint8Array(buf, 24), channels, sentMs);
    }
  }

  decodeOpus(packet, channels, sentMs) {
    if (this.codec !== 'opus') return; // the rest of an Opus stream we have already left
    if (!this.decoder || this.decoder.state === 'closed' || this.decoderChannels !== channels) {
      if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
      this.decoder = new AudioDecoder({
        output: (data) => this.onDecoded(data),
        error: (e) => this.onDecodeError(e),
      });
      this.decoder.configure({ codec: 'opus', sampleRate: kOpusRate, numberOfChannels: channels });
      this.decoderChannels = channels;
      this.sentAt = new Map(); // chunk timestamp -> sent_ms, to carry it across the decoder
      this.chunkTime = 0;
    }
    const timestamp = this.chunkTime;
    this.chunkTime += 10000; // microseconds; any increasing clock will do
    this.sentAt.set(timestamp, sentMs);
    if (this.sentAt.size > 200) this.sentAt.delete(this.sentAt.keys().next().value);
    this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp, data: packet }));
  }

  onDecoded(data) {
    const frames = data.numberOfFrames;
    const planar = [];
    for (let c = 0; c < data.numberOfChannels; c++) {
      const plane = new Float32Array(frames);
      data.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
      planar.push(plane);
    }
    const sentMs = this.sentAt.get(data.timestamp);
    this.sentAt.delete(data.timestamp);
    const rate = data.sampleRate;
    data.close();
    if (this.ctx) this.play(planar, rate, finite(sentMs) ? Date.now() - sentMs : null);
  }

  onDecodeError(e) {
    // Opus that will not decode here is not worth a silent page: carry on in PCM.
    this.decoder = null;
    this.opusOk = false;
    if (!this.ctx) return;
    this.say(`Opus decoding failed (${e && e.message ? e.message : e}); playing PCM`);
    this.codec = 'pcm';
    this.request();
  }

  play(planar, rate, netDelayMs) {
    const s = this.sink;
    if (!s || s.channels !== planar.length || s.rate !== rate) {
      if (s) {
        this.underrunsBefore += s.stats().underruns || 0;
        s.close();
      }
      // The worklet plays at the context's rate, so it takes only audio at that rate.
      const Sink = this.workletOk && rate === this.ctx.sampleRate ? WorkletSink : TimelineSink;
      this.sink = new Sink(this.ctx, this.analyser, planar.length, rate);
      this.listen.playback = this.sink.kind;
    }
    this.sink.push(planar, netDelayMs);
  }

  // A few times a second: what the sink says, the smoothed latency and the level heard.
  tick() {
    const L = this.listen;
    if (!this.sink || !this.ctx) return;
    const st = this.sink.stats();
    L.bufferMs = st.bufferMs;
    L.targetMs = st.targetMs;
    L.dropouts = this.gaps + this.underrunsBefore + (st.underruns || 0);
    L.skips = st.trims || 0; // audio skipped to keep latency down (not counted as dropouts)
    if (st.playing && L.state === 'starting') L.state = 'playing';
    if (st.playing && finite(st.netDelayMs) && finite(st.waitedMs)) {
      const device = ((this.ctx.baseLatency || 0) + (this.ctx.outputLatency || 0)) * 1000;
      const sample = st.netDelayMs + st.waitedMs + device;
      L.latencyMs = L.latencyMs === null ? sample : L.latencyMs + 0.2 * (sample - L.latencyMs);
      L.latencyParts = { networkMs: st.netDelayMs, bufferedMs: st.waitedMs, deviceMs: device };
    }
    if (st.playing && this.playingSince === null) this.playingSince = this.ctx.currentTime;
    // Wait until the analyser's window holds only played audio, not the silence before it;
    // after that, gaps are part of what is heard.
    if (this.playingSince !== null && this.ctx.currentTime - this.playingSince > 0.2) {
      this.analyser.getFloatTimeDomainData(this.timeData);
      const n = Math.min(this.timeData.length, Math.round(0.17 * this.ctx.sampleRate));
      let sum = 0;
      for (let i = this.timeData.length - n; i < this.timeData.length; i++) sum += this.timeData[i] * this.timeData[i];
      const rms = Math.sqrt(sum / n);
      L.levelDbfs = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
    }
    this.renderButton();
  }

  renderButton() {
    const on = this.listen.state !== 'off';
    setText(this.button, on ? 'Stop' : 'Listen');
    this.button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  render() {
    const L = this.listen;
    const on = L.state !== 'off';
    const codecName = { opus: 'Opus', pcm: 'PCM 16-bit' }[L.codec] || kDash;
    setText($('listen-codec'), on ? codecName : kDash);
    setText($('listen-buffer'), on && finite(L.bufferMs)
      ? `${Math.round(L.bufferMs)} / ${Math.round(L.targetMs)} ms` : kDash);
    setText($('listen-dropouts'), String(L.dropouts));
    setText($('listen-latency'), on && finite(L.latencyMs) ? `${Math.round(L.latencyMs)} ms` : kDash);
    setText($('listen-level'), on && L.levelDbfs !== null ? levelText(L.levelDbfs) : kDash);
    $('listen-buffer').title = 'in the buffer now / the amount it aims to hold';
  }
}

// ---------------------------------------------------------------------------------------------
// Rack: the chain's slots and their parameters, writable with --web-control and the token

function decimalsFor(step) {
  if (!(step > 0) || step >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

function roundToStep(v, step) {
  if (!(step > 0)) return v;
  return Number((Math.round(v / step) * step).toFixed(decimalsFor(step)));
}

// A range input's position for a parameter value and back; logarithmic ones move evenly in ratio.
function rangeMapping(p) {
  if (p.logarithmic && p.min > 0 && p.max > p.min) {
    const span = Math.log(p.max / p.min);
    return {
      min: 0, max: 1000, step: 1,
      toPos: (v) => (1000 * Math.log(clamp(v, p.min, p.max) / p.min)) / span,
      fromPos: (x) => clamp(roundToStep(p.min * Math.exp((x / 1000) * span), p.step), p.min, p.max),
    };
  }
  return { min: p.min, max: p.max, step: p.step > 0 ? p.step : 'any', toPos: (v) => v, fromPos: (x) => x };
}

function paramText(p, v) {
  if (!finite(v)) return kDash;
  const unit = p.unit ? ` ${p.unit}` : '';
  if (p.unit === 'Hz' && v >= 1000) return hzText(v);
  return `${fixed(v, decimalsFor(p.step))}${unit}`;
}

async function postJson(path, body) {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  let answer = null;
  try {
    answer = await r.json();
  } catch {
    // a body that is not JSON: the status says enough
  }
  if (!r.ok) throw new Error(answer && answer.error ? String(answer.error) : `the server answered ${r.status}`);
  return answer || {};
}

class Rack {
  constructor() {
    this.section = $('rack');
    this.slotsEl = $('rack-slots');
    this.status = $('rack-status');
    this.mode = $('rack-mode');
    this.controls = []; // {slot, param|null, input, readout, apply(value)}
    this.writes = new Map(); // key -> {busy, pending}: one request in flight per control
    this.signature = '';
    this.enabled = false;
  }

  onHello(hello) {
    this.section.hidden = !hello.control;
    if (!hello.control) return;
    this.control = true;
    this.refreshMode();
    this.load();
    if (!this.poll) {
      // The desktop GUI can change the chain too; look again now and then while visible.
      this.poll = setInterval(() => {
        if (!document.hidden && this.idle()) this.load();
      }, 5000);
    }
  }

  onAuth(authorized) {
    monitor.authorized = authorized;
    this.refreshMode();
  }

  refreshMode() {
    let text = '';
    if (!token) text = 'read-only: open the URL with ?token=… that LiveRack printed';
    else if (monitor.authorized === false) text = 'read-only: the token in this URL was not accepted';
    setText(this.mode, text);
    this.enabled = !!token && monitor.authorized !== false;
    for (const c of this.controls) c.input.disabled = !this.enabled;
  }

  idle() {
    for (const w of this.writes.values()) if (w.busy) return false;
    return true;
  }

  setStatus(text, isError) {
    setText(this.status, text);
    this.status.classList.toggle('error', !!isError);
  }

  // force: after a write, show the rack's values even in the control that has the focus.
  async load(force = false) {
    try {
      const r = await fetch('/api/chain', { cache: 'no-store' });
      const chain = await r.json();
      if (!r.ok) throw new Error(chain && chain.error ? String(chain.error) : `the server answered ${r.status}`);
      this.show(chain, force);
    } catch (e) {
      this.setStatus(`could not read the chain: ${e.message}`, true);
    }
  }

  show(chain, force) {
    const slots = Array.isArray(chain.slots) ? chain.slots : [];
    const signature = JSON.stringify(slots.map((s) => [s.index, s.type, (s.params || []).map((p) => [p.id, p.kind])]));
    if (signature !== this.signature) {
      this.signature = signature;
      this.build(slots);
    }
    for (const c of this.controls) {
      const slot = slots.find((s) => s.index === c.slotIndex);
      if (!slot || this.writes.get(c.key)?.busy) continue;
      if (!force && c.input.type === 'range' && document.activeElement === c.input) continue; // mid-drag
      if (c.paramId === null) c.apply(!!slot.bypassed);
      else {
        const p = (slot.params || []).find((q) => q.id === c.paramId);
        if (p) c.apply(p.value);
      }
    }
    if (slots.length === 0) this.setStatus('the chain is empty');
  }

  build(slots) {
    this.slotsEl.replaceChildren();
    this.controls = [];
    for (const slot of slots) {
      const card = make('article', 'slot');
      const head = make('div', 'slot-head');
      const name = make('div', 'slot-name', String(slot.name ?? slot.type ?? `slot ${slot.index}`));
      if (slot.type && slot.type !== slot.name) name.append(make('span', 'slot-type', String(slot.type)));
      const sw = make('label', 'switch');
      const bypass = make('input');
      bypass.type = 'checkbox';
      sw.append(bypass, document.createTextNode('bypass'));
      head.append(name, sw);
      card.append(head);
      const setCard = (b) => card.classList.toggle('bypassed', b);
      this.addControl(slot, null, bypass, null, (v) => {
        bypass.checked = v;
        setCard(v);
      });
      bypass.addEventListener('change', () => {
        setCard(bypass.checked);
        this.write(slot, null, `/api/chain/${slot.index}/bypass`, bypass.checked);
      });
      for (const p of slot.params || []) card.append(this.paramRow(slot, p));
      this.slotsEl.append(card);
    }
    this.refreshMode();
  }

  addControl(slot, param, input, readout, apply) {
    const key = `${slot.index}/${param ? param.id : '#bypass'}`;
    this.controls.push({ key, slotIndex: slot.index, paramId: param ? param.id : null, input, readout, apply });
  }

  paramRow(slot, p) {
    const row = make('div', p.kind === 'continuous' ? 'param continuous' : 'param inline');
    const label = make('label', 'pname', String(p.name ?? p.id));
    const id = `slot-${slot.index}-${p.id}`;
    label.htmlFor = id;
    label.title = label.textContent;
    const readout = make('span', 'pvalue');
    const path = `/api/chain/${slot.index}/params`;
    let input;
    if (p.kind === 'continuous') {
      const m = rangeMapping(p);
      input = make('input');
      input.type = 'range';
      input.min = String(m.min);
      input.max = String(m.max);
      input.step = String(m.step);
      const apply = (v) => {
        if (!finite(v)) return;
        input.value = String(m.toPos(v));
        setText(readout, paramText(p, v));
      };
      this.addControl(slot, p, input, readout, apply);
      apply(p.value);
      input.addEventListener('input', () => {
        const v = m.fromPos(Number(input.value));
        setText(readout, paramText(p, v));
        this.write(slot, p, path, { [p.id]: v });
      });
    } else if (p.kind === 'toggle') {
      input = make('input');
      input.type = 'checkbox';
      const apply = (v) => {
        input.checked = !!v;
        setText(readout, v ? 'on' : 'off');
      };
      this.addControl(slot, p, input, readout, apply);
      apply(p.value);
      input.addEventListener('change', () => {
        setText(readout, input.checked ? 'on' : 'off');
        this.write(slot, p, path, { [p.id]: input.checked });
      });
    } else {
      input = make('select');
      for (const choice of p.choices || []) input.append(make('option', '', String(choice)));
      const apply = (v) => {
        input.value = String(v);
      };
      this.addControl(slot, p, input, readout, apply);
      apply(p.value);
      input.addEventListener('change', () => this.write(slot, p, path, { [p.id]: input.value }));
    }
    input.id = id;
    input.disabled = !this.enabled;
    row.append(label, input, readout);
    return row;
  }

  // Slider drags fire many events: keep one request in flight per control and send only the
  // latest value after it, so the server sees the final value and never a backlog.
  write(slot, param, path, body) {
    const key = `${slot.index}/${param ? param.id : '#bypass'}`;
    let w = this.writes.get(key);
    if (!w) this.writes.set(key, (w = { busy: false, pending: null }));
    w.pending = { path, body };
    if (!w.busy) this.flush(slot, w);
  }

  async flush(slot, w) {
    w.busy = true;
    let reload = false;
    while (w.pending) {
      const { path, body } = w.pending;
      w.pending = null;
      try {
        const answer = await postJson(path, body);
        const warnings = Array.isArray(answer.warnings) ? answer.warnings.map(String) : [];
        this.setStatus(warnings.length ? `${slot.name}: ${warnings.join('; ')}` : '', false);
        reload ||= warnings.length > 0; // a warning usually means the value was changed
      } catch (e) {
        this.setStatus(`${slot.name}: ${e.message}`, true);
        reload = true;
      }
    }
    w.busy = false;
    if (reload) this.load(true); // show what the rack really holds, not what we asked for
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring and the display loop

const facts = new FactsView($('facts'));
const meters = new MeterView($('meters'));
const spectrum = new SpectrumView($('spectrum'));
const rack = new Rack();
let conn = null;
const listener = new Listener((obj) => conn.send(obj));
let fresh = false; // a snapshot arrived since the last frame

function setConnection(state) {
  const box = $('connection');
  box.dataset.state = state;
  setText($('connection-text'), state === 'connected' ? 'connected' : state === 'reconnecting' ? 'reconnecting…' : 'connecting…');
  document.body.classList.toggle('stale', state !== 'connected');
}

conn = new Connection({
  onState: setConnection,
  onAudio: (buf) => listener.onAudio(buf),
  onMessage: (msg) => {
    switch (msg.type) {
      case 'hello':
        monitor.hello = msg;
        monitor.authorized = msg.authorized ?? null;
        listener.onHello(msg);
        rack.onHello(msg);
        break;
      case 'snapshot':
        monitor.snapshot = msg;
        fresh = true;
        break;
      case 'auth':
        rack.onAuth(!!msg.authorized);
        break;
      case 'listen':
        listener.onReply(msg);
        break;
      case 'stopped':
        listener.onStopped(msg);
        break;
      case 'error':
        listener.onServerError(msg.message);
        break;
      default:
        break; // anything newer than this page
    }
  },
});

function frame() {
  requestAnimationFrame(frame);
  if (document.hidden) return;
  const s = monitor.snapshot;
  if (s && (fresh || spectrum.needsResize)) {
    if (fresh) {
      facts.update(s);
      meters.update(s);
      updateLoudness(s);
      updateTuner(s);
    }
    spectrum.draw(s.spectrum);
    fresh = false;
  }
  listener.render();
}
requestAnimationFrame(frame);
