// Drives LiveRack's web monitor in headless Chromium against a running LiveRack: the page must
// show what the server measures, and Listen must play the stream at the level the server
// reports, on each decode path: the default (Opus via WebCodecs where the browser has it), PCM
// through the AudioWorklet, and PCM through scheduled AudioBuffers (the insecure-context path).
//
// node monitor_browser_test.mjs --url http://127.0.0.1:PORT/ --screenshot OUT.png
//   [--expect-peak-dbfs -18] [--expect-note A4] [--expect-hz 440] [--listen-seconds 4]
//   [--expect-codec opus] [--phone-screenshot PHONE.png]
// Prints one JSON line of figures and exits 0, or one sentence per failed check and exits 1.
// LIVERACK_CHROMIUM overrides the browser (default /usr/bin/chromium).

import { chromium } from 'playwright-core';

const kWaitMs = 20000; // for the page to show a figure, or to start playing
const kPollMs = 100;

function parseArgs(argv) {
  const known = new Set(['--url', '--screenshot', '--expect-peak-dbfs', '--expect-note', '--expect-hz',
    '--listen-seconds', '--expect-codec', '--phone-screenshot']);
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!known.has(argv[i]) || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete option "${argv[i]}"; see the usage at the top of this file`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  if (!out.url || !out.screenshot) throw new Error('--url and --screenshot are required');
  const number = (name) => {
    if (out[name] === undefined) return undefined;
    const v = Number(out[name]);
    if (!Number.isFinite(v)) throw new Error(`--${name} takes a number, not "${out[name]}"`);
    return v;
  };
  return {
    url: out.url,
    screenshot: out.screenshot,
    phoneScreenshot: out['phone-screenshot'],
    expectPeak: number('expect-peak-dbfs'),
    expectNote: out['expect-note'],
    expectHz: number('expect-hz'),
    expectCodec: out['expect-codec'],
    listenSeconds: number('listen-seconds') ?? 4,
  };
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round1 = (v) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : v);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls until check() returns a truthy value or the time is up; returns the last value seen.
async function pollUntil(check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v.ok || Date.now() >= end) return v;
    await sleep(kPollMs);
  }
}

function withQuery(url, extra) {
  const u = new URL(url);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  return u.toString();
}

function screenshotName(base, suffix) {
  if (!suffix) return base;
  return base.match(/\.png$/i) ? base.replace(/\.png$/i, `-${suffix}.png`) : `${base}-${suffix}`;
}

// What the page shows, read from the DOM as a person would read it.
function readPage() {
  const m = window.liverackMonitor;
  const s = m && m.snapshot;
  const channels = s && Array.isArray(s.sample_peak_dbfs) ? s.sample_peak_dbfs.length : 0;
  const text = (id) => {
    const e = document.getElementById(id);
    return e ? e.textContent : null;
  };
  const peaks = [];
  for (let ch = 0; ch < channels; ch++) peaks.push(parseFloat(text(`meter-peak-${ch}`)));
  return { channels, peaks, note: text('tuner-note'), hz: parseFloat(text('tuner-hz')) };
}

// The stream's RMS over its channels, as a power mean: the analyser in the page hears the
// channels mixed to mono, which for the test's identical channels is the same level.
function readListen() {
  const m = window.liverackMonitor;
  const rms = (m.snapshot && m.snapshot.rms_dbfs) || [];
  const powers = rms.filter((v) => typeof v === 'number').map((v) => Math.pow(10, v / 10));
  const streamRms = powers.length ? 10 * Math.log10(powers.reduce((a, b) => a + b, 0) / powers.length) : null;
  return { ...m.listen, streamRms };
}

async function runPass(browser, opts, pass, failures) {
  const say = (sentence) => failures.push(`${pass.name}: ${sentence}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // The page must run clean: any error or warning on its console fails the pass.
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') say(`the page logged a${msg.type() === 'error' ? 'n' : ''} ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (e) => say(`the page threw: ${e.message}`));
  const figures = { pass: pass.name };
  try {
    await page.goto(withQuery(opts.url, pass.query), { waitUntil: 'load', timeout: kWaitMs });

    // The meters, tuner and readouts: wait until they show what is expected, or say what they show.
    const shown = await pollUntil(async () => {
      const v = await page.evaluate(readPage);
      const peaksOk = v.channels > 0 && v.peaks.every(Number.isFinite)
        && (opts.expectPeak === undefined || v.peaks.every((p) => Math.abs(p - opts.expectPeak) <= 1));
      const noteOk = opts.expectNote === undefined || v.note === opts.expectNote;
      const hzOk = opts.expectHz === undefined || Math.abs(v.hz - opts.expectHz) <= 1;
      return { ...v, ok: peaksOk && noteOk && hzOk };
    }, kWaitMs);
    Object.assign(figures, { meter_peaks: shown.peaks, note: shown.note, hz: shown.hz });
    if (shown.channels === 0) say(`the meters showed no channel within ${kWaitMs / 1000} s`);
    shown.peaks.forEach((p, ch) => {
      if (!Number.isFinite(p)) say(`meter-peak-${ch} shows no number`);
      else if (opts.expectPeak !== undefined && Math.abs(p - opts.expectPeak) > 1) {
        say(`channel ${ch}'s peak reads ${p} dBFS, expected ${opts.expectPeak} ± 1 dB`);
      }
    });
    if (opts.expectNote !== undefined && shown.note !== opts.expectNote) {
      say(`the tuner shows the note "${shown.note}", expected "${opts.expectNote}"`);
    }
    if (opts.expectHz !== undefined && !(Math.abs(shown.hz - opts.expectHz) <= 1)) {
      say(`the tuner shows ${shown.hz} Hz, expected ${opts.expectHz} ± 1 Hz`);
    }

    // Listen: start, wait for sound and a measured level, then sample.
    await page.click('#listen-button');
    const started = await pollUntil(async () => {
      const l = await page.evaluate(readListen);
      return { ...l, ok: l.state === 'playing' && Number.isFinite(l.levelDbfs) };
    }, kWaitMs);
    if (!started.ok) {
      say(`listening did not start within ${kWaitMs / 1000} s (state ${started.state}, level ${started.levelDbfs})`);
      return figures;
    }
    const levels = [];
    const latencies = [];
    const streamRms = [];
    let last = started;
    const end = Date.now() + opts.listenSeconds * 1000;
    let shot = false;
    while (Date.now() < end) {
      last = await page.evaluate(readListen);
      levels.push(last.levelDbfs);
      latencies.push(last.latencyMs);
      streamRms.push(last.streamRms);
      if (!shot && Date.now() > end - (opts.listenSeconds * 1000) / 2) {
        shot = true; // halfway, so the listen figures on the picture have settled
        await page.screenshot({ path: screenshotName(opts.screenshot, pass.shot), fullPage: true });
        if (pass.shot === '' && opts.phoneScreenshot) {
          await page.setViewportSize({ width: 390, height: 844 });
          await page.screenshot({ path: opts.phoneScreenshot, fullPage: true });
          await page.setViewportSize({ width: 1280, height: 900 });
        }
      }
      await sleep(kPollMs);
    }
    Object.assign(figures, {
      codec: last.codec,
      playback: last.playback,
      latency_ms_median: round1(median(latencies)),
      dropouts: last.dropouts,
      listen_level_dbfs: round1(median(levels)),
      stream_rms_dbfs: round1(median(streamRms)),
    });
    const heard = median(levels);
    const sent = median(streamRms);
    if (!Number.isFinite(heard) || !Number.isFinite(sent) || Math.abs(heard - sent) > 1) {
      say(`the page heard ${round1(heard)} dBFS while the stream's RMS is ${round1(sent)} dBFS (allowed: ± 1 dB)`);
    }
    if (pass.codec && last.codec !== pass.codec) say(`the codec in use is ${last.codec}, expected ${pass.codec}`);
    if (pass.playback && last.playback !== pass.playback) {
      say(`playback went through ${last.playback}, expected ${pass.playback}`);
    }
    if (!Number.isFinite(figures.latency_ms_median)) say('the page estimated no latency');

    await page.click('#listen-button');
    const stopped = await pollUntil(async () => {
      const l = await page.evaluate(readListen);
      return { ...l, ok: l.state === 'off' };
    }, kWaitMs);
    if (!stopped.ok) say(`Stop left listening in state ${stopped.state}`);
  } catch (e) {
    say(`the test could not drive the page: ${e.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
  return figures;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.log(e.message);
    process.exit(2);
  }
  const passes = [
    { name: 'default', query: {}, codec: opts.expectCodec, playback: 'worklet', shot: '' },
    { name: 'pcm', query: { codec: 'pcm' }, codec: 'pcm', playback: 'worklet', shot: 'pcm' },
    { name: 'pcm-timeline', query: { codec: 'pcm', playback: 'timeline' }, codec: 'pcm', playback: 'timeline', shot: 'timeline' },
  ];
  const deadlineS = 60 + passes.length * (opts.listenSeconds + 2 * (kWaitMs / 1000));
  const watchdog = setTimeout(() => {
    console.log(`the test did not finish within ${deadlineS} s`);
    process.exit(1);
  }, deadlineS * 1000);

  const browser = await chromium.launch({
    executablePath: process.env.LIVERACK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Chromium's sandbox refuses to run as root, which is what CI runs as.
    args: ['--autoplay-policy=no-user-gesture-required', ...(process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [])],
  });
  const failures = [];
  const results = [];
  try {
    for (const pass of passes) results.push(await runPass(browser, opts, pass, failures));
  } finally {
    await browser.close();
    clearTimeout(watchdog);
  }

  const first = results[0];
  const report = {
    codec: first.codec ?? null,
    latency_ms_median: first.latency_ms_median ?? null,
    dropouts: first.dropouts ?? null,
    listen_level_dbfs: first.listen_level_dbfs ?? null,
    stream_rms_dbfs: first.stream_rms_dbfs ?? null,
    meter_peaks: first.meter_peaks ?? null,
    note: first.note ?? null,
    hz: first.hz ?? null,
    passes: results,
  };
  if (failures.length) {
    for (const f of failures) console.log(f);
    console.error(JSON.stringify(report));
    process.exit(1);
  }
  console.log(JSON.stringify(report));
}

main().catch((e) => {
  console.log(`the test failed to run: ${e.message}`);
  process.exit(1);
});
