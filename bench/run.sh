#!/usr/bin/env bash
# Builds tether's benchmark and runs it beside the Python-PyTorch eager baseline, back to back, for
# a number of rounds; prints a Markdown table (median over rounds, min–max spread, peak RSS).
# Every tether measurement runs in its own JVM, so its peak RSS (VmHWM) is its own.
#
#   bench/run.sh                       # tiny and gpt2-small, 3 rounds, the long-generation sweep
#   bench/run.sh --shapes tiny --rounds 1 --no-baseline
#
# Options (defaults in brackets):
#   --shapes "tiny gpt2-small"   shapes to run [both]
#   --rounds N                   rounds; each runs the baseline, then every tether measure [3]
#   --measures "..."             tether measures [sample_cache sample_nocache score score_tokens score_onnx train]
#   --no-baseline                tether only
#   --no-long                    skip the tiny long-generation sweep (cache vs no cache at --long lengths)
#   --long "64 240"              new-token counts of that sweep [64 240] (tiny's n_positions is 256)
#   --threads N                  torch intra-op threads (ai.djl.pytorch.num_threads) for scoring and
#                                training, OMP_NUM_THREADS the same [2]
#   --sample-threads N           the same for the sampling measures (a rollout step is its own
#                                process): a decode step is ~50 small ops, and a second OpenMP
#                                thread only adds waiting when the other core is busy [1]
#   --interop N                  torch inter-op threads [1]
#   --omp-spin N                 GOMP_SPINCOUNT for tether: spin this long, then sleep [10000];
#                                "" leaves libgomp's default (300000: two threads spin-wait, which on a
#                                shared 2-core machine made runs 5-10x slower)
#   --omp-wait POLICY            OMP_WAIT_POLICY for tether [unset]; PASSIVE sleeps at once
#   --ort-threads N              ONNX Runtime intra-op threads [= --threads]
#   --out DIR                    where results go [bench/target/results/<time>]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SHAPES="tiny gpt2-small"
ROUNDS=3
MEASURES="sample_cache sample_nocache score score_tokens score_onnx train"
BASELINE_ON=1
LONG_ON=1
LONG="64 240"
THREADS=2
SAMPLE_THREADS=1
INTEROP=1
OMP_WAIT=""
OMP_SPIN=10000
ORT_THREADS=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --shapes) SHAPES="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --measures) MEASURES="$2"; shift 2 ;;
    --no-baseline) BASELINE_ON=0; shift ;;
    --no-long) LONG_ON=0; shift ;;
    --long) LONG="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --sample-threads) SAMPLE_THREADS="$2"; shift 2 ;;
    --interop) INTEROP="$2"; shift 2 ;;
    --omp-wait) OMP_WAIT="$2"; shift 2 ;;
    --omp-spin) OMP_SPIN="$2"; shift 2 ;;
    --ort-threads) ORT_THREADS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
ORT_THREADS="${ORT_THREADS:-$THREADS}"
OUT="${OUT:-bench/target/results/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

echo "== building (./mvnw -pl bench -am package, no tests)" >&2
./mvnw -B -q -o -pl bench -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2 \
  || ./mvnw -B -q -pl bench -am -DskipTests package dependency:build-classpath \
       -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
CP="bench/target/tether-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"

# One tether measure in a fresh JVM; its JSON line goes to the results.
tether() {
  local heap=1g threads=$THREADS
  [ "$1" = export_onnx ] && heap=3g
  [[ "$1" == sample* ]] && threads=$SAMPLE_THREADS
  env OMP_NUM_THREADS="$threads" ${OMP_WAIT:+OMP_WAIT_POLICY=$OMP_WAIT} ${OMP_SPIN:+GOMP_SPINCOUNT=$OMP_SPIN} \
    java -Xmx$heap -XX:+UseSerialGC \
      -Dai.djl.offline=true -DDJL_CACHE_DIR="$ROOT/.djl-cache" \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
      -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads="$INTEROP" \
      -cp "$CP" dev.tether.bench.Bench "$@" --ort-threads "$ORT_THREADS" 2>"$OUT/last-stderr.txt" \
    | grep '^{' | tee -a "$RESULTS" >&2 \
    || { echo "tether $* failed:" >&2; tail -20 "$OUT/last-stderr.txt" >&2; exit 1; }
}

# The baseline at DESIGN.md's best setting (BLAS on both cores, no OpenMP spinning); for tiny also
# with one BLAS thread (its docstring: report the better). Peak RSS from /usr/bin/time -v.
BASELINE_PY="${TETHER_BASELINE:-$ROOT/../shared/bench/baseline_torch.py}"
if [ "$BASELINE_ON" = 1 ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "no torch under /usr/bin/python3 (apt-get install python3-torch libopenblas0-pthread): tether only" >&2
  BASELINE_ON=0
fi
if [ "$BASELINE_ON" = 1 ] && [ ! -f "$BASELINE_PY" ]; then
  echo "no baseline at $BASELINE_PY (set TETHER_BASELINE): tether only" >&2
  BASELINE_ON=0
fi
baseline() { # shape batch prompt new blas-threads (uses $round)
  local name=$1; [ "$name" = gpt2-small ] && name=small
  local line rss
  line=$(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS="$5" TORCH_THREADS=1 \
    /usr/bin/time -v -o "$OUT/time.txt" /usr/bin/python3 "$BASELINE_PY" "$name" "$2" "$3" "$4" | grep '^{')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$OUT/time.txt")
  echo "${line%\}}, \"peak_rss_mb\": $rss, \"blas_threads\": $5, \"round\": $round}" | tee -a "$RESULTS" >&2
}

sizes() { # shape -> batch prompt new of DESIGN.md section 9
  if [ "$1" = tiny ]; then echo "8 16 64"; else echo "4 16 32"; fi
}

for shape in $SHAPES; do
  if [[ " $MEASURES " == *" score_onnx "* ]]; then
    echo "== $shape: exporting the random model to ONNX" >&2
    tether export_onnx "$shape" --onnx "$OUT/$shape.onnx"
  fi
done

for round in $(seq "$ROUNDS"); do
  for shape in $SHAPES; do
    read -r batch prompt new <<< "$(sizes "$shape")"
    echo "== round $round/$ROUNDS, $shape (batch $batch, prompt $prompt, new $new)" >&2
    if [ "$BASELINE_ON" = 1 ]; then
      baseline "$shape" "$batch" "$prompt" "$new" 2
      [ "$shape" = tiny ] && baseline "$shape" "$batch" "$prompt" "$new" 1
    fi
    tether matmul "$shape" "$batch" "$prompt" "$new"
    for m in $MEASURES; do
      tether "$m" "$shape" "$batch" "$prompt" "$new" --onnx "$OUT/$shape.onnx"
    done
  done
  if [ "$LONG_ON" = 1 ] && [[ " $SHAPES " == *" tiny "* ]]; then
    for new in $LONG; do
      [ "$new" = 64 ] && continue # the tiny table above has it
      echo "== round $round/$ROUNDS, tiny long generation (new $new)" >&2
      if [ "$BASELINE_ON" = 1 ]; then
        baseline tiny 8 16 "$new" 2
        baseline tiny 8 16 "$new" 1
      fi
      tether sample_cache tiny 8 16 "$new"
      tether sample_nocache tiny 8 16 "$new" --reps 3
    done
  fi
done

{
  echo "# tether benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "tether: ai.djl.pytorch.num_threads = OMP_NUM_THREADS = $SAMPLE_THREADS for sampling, $THREADS for scoring and training; num_interop_threads=$INTEROP, GOMP_SPINCOUNT=${OMP_SPIN:-default}, OMP_WAIT_POLICY=${OMP_WAIT:-unset}, ONNX Runtime intra-op threads $ORT_THREADS."
  echo "Baseline: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 TORCH_THREADS=1 (tiny: the better of 1 and 2 BLAS threads per figure)."
  echo "Rounds: $ROUNDS; figures are medians over rounds (each round's figure a median of repeated runs), spread min–max."
  java -cp "$CP" dev.tether.bench.Bench table "$RESULTS"
} | tee "$OUT/table.md"
echo "results: $RESULTS, table: $OUT/table.md" >&2
