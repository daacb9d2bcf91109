#!/usr/bin/env bash
# Make the Silero corpus's test clip, tools/test/corpus/silero/utterance-16k.wav:
# 1 s of digital silence, one sentence spoken by espeak-ng, 1 s of low-level
# white noise; 16 kHz, mono, 16-bit PCM. The clip is committed; rerun this
# (Debian's espeak-ng and sox) only to change it, then rerun
# make_silero_expected.mjs, whose expected probabilities depend on it.
#
#   bash tools/scripts/corpus/make_utterance.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=tools/test/corpus/silero/utterance-16k.wav
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

espeak-ng -v en-us -s 160 -w "$tmp/speech-raw.wav" "Turn the kitchen lights off at seven."
# espeak-ng writes 22050 Hz mono; resample, and cut its own leading/trailing
# silence so the 1 s of silence and of noise around it are exact.
sox -R "$tmp/speech-raw.wav" -r 16000 -c 1 -b 16 "$tmp/speech.wav" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
sox -R -n -r 16000 -c 1 -b 16 "$tmp/silence.wav" trim 0 1.0
# -R: sox's repeatable mode seeds its random generator, so the noise is the same on every run.
sox -R -n -r 16000 -c 1 -b 16 "$tmp/noise.wav" synth 1.0 whitenoise vol 0.02
sox -R "$tmp/silence.wav" "$tmp/speech.wav" "$tmp/noise.wav" "$out"
soxi "$out"
