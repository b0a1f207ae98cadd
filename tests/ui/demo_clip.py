#!/usr/bin/env python3
"""Writes a short plucked-string arpeggio (Karplus-Strong) as a 48 kHz stereo WAV: a musical
test signal for the window's screenshot, so the tuner, spectrum and spectrogram show notes.
Usage: demo_clip.py OUT.wav [seconds]"""
import math
import random
import struct
import sys
import wave

RATE = 48000


def pluck(hz, seconds, brightness=0.5, decay=0.996):
    """One Karplus-Strong string: a noise burst circulating in a damped delay line."""
    period = max(2, int(round(RATE / hz)))
    line = [random.uniform(-1.0, 1.0) for _ in range(period)]
    # A softer pluck: low-pass the initial burst.
    for i in range(1, period):
        line[i] = brightness * line[i] + (1.0 - brightness) * line[i - 1]
    out = []
    index = 0
    previous = 0.0
    for _ in range(int(seconds * RATE)):
        current = line[index]
        line[index] = decay * 0.5 * (current + previous)
        previous = current
        out.append(current)
        index = (index + 1) % period
    return out


def note_hz(midi):
    return 440.0 * 2.0 ** ((midi - 69) / 12.0)


def main():
    path = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 16.0
    random.seed(7)
    total = int(seconds * RATE)
    left = [0.0] * total
    right = [0.0] * total
    # Am - F - C - G, arpeggiated in eighths at 96 bpm, with a bass note on each bar.
    chords = [[57, 60, 64, 69], [53, 57, 60, 65], [48, 55, 60, 64], [55, 59, 62, 67]]
    eighth = 60.0 / 96.0 / 2.0
    t = 0.0
    step = 0
    while t < seconds:
        chord = chords[(step // 8) % len(chords)]
        pattern = [0, 1, 2, 3, 2, 1, 2, 3]
        midi = chord[pattern[step % 8]] + 12
        notes = [(midi, 0.32, 0.55)]
        if step % 8 == 0:
            notes.append((chord[0] - 12, 0.45, 0.35))
        for m, level, pan in notes:
            start = int(t * RATE)
            for i, s in enumerate(pluck(note_hz(m), min(2.0, seconds - t), 0.6)):
                if start + i >= total:
                    break
                left[start + i] += level * s * (1.0 - pan * 0.6)
                right[start + i] += level * s * (0.4 + pan * 0.6)
        t += eighth
        step += 1
    peak = max(max(abs(x) for x in left), max(abs(x) for x in right))
    scale = 0.5 / peak  # about -6 dBFS peak
    with wave.open(path, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        frames = bytearray()
        for l, r in zip(left, right):
            frames += struct.pack("<hh", int(l * scale * 32767), int(r * scale * 32767))
        w.writeframes(bytes(frames))


if __name__ == "__main__":
    main()
