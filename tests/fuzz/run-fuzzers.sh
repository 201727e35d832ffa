#!/bin/bash
# Builds every tests/fuzz/fuzz-*.c target with clang's libFuzzer (plus AddressSanitizer and
# UndefinedBehaviorSanitizer) against the engine's sources, and runs each for a short while on
# a copy of its seed corpus (tests/fuzz/corpus/<name>/). TAP on stdout.
#
#   run-fuzzers.sh SOURCE_ROOT BUILD_ROOT [SECONDS]
#
# Longer runs by hand: _build/fuzz/fuzz-prefs-js _build/fuzz/corpus/prefs-js
set -uo pipefail

src=${1:?usage: run-fuzzers.sh SOURCE_ROOT BUILD_ROOT [SECONDS]}
build=${2:?usage: run-fuzzers.sh SOURCE_ROOT BUILD_ROOT [SECONDS]}
seconds=${3:-5}
out="$build/fuzz"
targets=("$src"/tests/fuzz/fuzz-*.c)

if ! command -v clang >/dev/null; then
  echo "1..0 # SKIP clang is not installed (build-aux/setup-debian.sh installs it)"
  exit 0
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' |
     clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "1..0 # SKIP clang has no libFuzzer runtime (libclang-rt-14-dev)"
  exit 0
fi
if [ ! -e "${targets[0]}" ]; then
  echo "1..0 # SKIP no fuzz targets"
  exit 0
fi

packages="glib-2.0 gio-2.0 json-glib-1.0 libsoup-3.0 libsecret-1"
cflags=(-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
        -fno-sanitize-recover=undefined -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74
        -I"$build" $(pkg-config --cflags $packages))
# Every folder of the engine, as src/engine/meson.build lists them.
while IFS= read -r dir; do
  cflags+=(-I"$dir")
done < <(find "$src/src/engine" -type d | sort)
libs=($(pkg-config --libs $packages))

mkdir -p "$out/obj" "$out/artifacts"

# The engine, instrumented, once for every target.
objects=()
while IFS= read -r file; do
  object="$out/obj/$(echo "${file#$src/src/engine/}" | tr / _).o"
  if [ ! -e "$object" ] || [ "$file" -nt "$object" ]; then
    if ! clang "${cflags[@]}" -c "$file" -o "$object" 2>"$out/obj/build.log"; then
      echo "1..1"
      echo "not ok 1 - compile $file"
      sed 's/^/# /' "$out/obj/build.log"
      exit 1
    fi
  fi
  objects+=("$object")
done < <(find "$src/src/engine" -name '*.c' | sort)

echo "1..${#targets[@]}"
n=0
failed=0
for target in "${targets[@]}"; do
  n=$((n + 1))
  name=$(basename "$target" .c)
  short=${name#fuzz-}
  binary="$out/$name"
  corpus="$out/corpus/$short"
  log="$out/$name.log"

  if ! clang "${cflags[@]}" -fsanitize=fuzzer "$target" "${objects[@]}" "${libs[@]}" \
         -o "$binary" 2>"$log"; then
    echo "not ok $n - $name: does not build"
    sed 's/^/# /' "$log"
    failed=1
    continue
  fi

  # libFuzzer adds what it finds to the first corpus folder: never the source tree.
  mkdir -p "$corpus"
  if [ -d "$src/tests/fuzz/corpus/$short" ]; then
    cp -n "$src/tests/fuzz/corpus/$short"/* "$corpus"/ 2>/dev/null || true
  fi

  if G_DEBUG= "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$out/artifacts/$name-" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "ok $n - $name (${runs:-?} inputs in ${seconds} s)"
  else
    echo "not ok $n - $name: found a crash; the input is in $out/artifacts/"
    tail -n 40 "$log" | sed 's/^/# /'
    failed=1
  fi
done

exit $failed
