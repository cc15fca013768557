#!/usr/bin/env bash
# Builds the libFuzzer targets (not part of the normal build):
#   fuzz/build.sh [OUT_DIR]        default: build-fuzz/
# then, e.g.:
#   build-fuzz/model_file_fuzz -max_total_time=600 build-fuzz/corpus-model fuzz/seeds/model
#   build-fuzz/csv_fuzz        -max_total_time=600 build-fuzz/corpus-csv   fuzz/seeds/csv
#   build-fuzz/experiment_fuzz -max_total_time=600 build-fuzz/corpus-experiment fuzz/seeds/experiment
# Needs clang-14 and libclang-rt-14-dev (libFuzzer, ASan, UBSan runtimes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-$root/build-fuzz}
mkdir -p "$out/obj"
cxx=${CXX:-clang++-14}
flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fopenmp -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -DGENRELAB_VERSION=\"0.1.0\" -DEIGEN_DONT_PARALLELIZE
       -DTOML_HEADER_ONLY=0 -DTOML_SHARED_LIB=1
       -DGENRELAB_SOURCE_DIR=\"$root\" -I"$root/src" -isystem /usr/include/eigen3)
# Every layer's public headers (include/<layer>/genrelab/), as the CMake targets see them.
for layer in core data features models evaluation modelio profiling study report explain; do flags+=(-I"$root/include/$layer"); done
# The library parts the three targets reach; the study, report and CLI layers are left out.
sources=("$root"/src/core/*.cpp "$root"/src/data/*.cpp "$root"/src/features/*.cpp "$root"/src/models/*.cpp
         "$root"/src/models/tree/*.cpp "$root"/src/modelio/*.cpp
         "$root"/src/evaluation/pipeline.cpp "$root"/src/evaluation/pipeline_io.cpp
         "$root"/src/evaluation/grid.cpp "$root"/src/evaluation/protocol.cpp "$root"/src/evaluation/open_set.cpp
         "$root"/src/evaluation/conformal.cpp "$root"/src/study/experiment.cpp "$out/obj/bundled_seed_study_toml.cpp")
# The built-in seed study, embedded as CMake's genrelab_embed does for the real build.
{
  echo '#include <string_view>'
  echo 'namespace genrelab { std::string_view bundled_seed_study_toml() { return R"genrelab_embed('
  cat "$root/examples/seed-study.toml"
  echo ')genrelab_embed"; } }'
} > "$out/obj/bundled_seed_study_toml.cpp.new"
cmp -s "$out/obj/bundled_seed_study_toml.cpp.new" "$out/obj/bundled_seed_study_toml.cpp" ||
  mv "$out/obj/bundled_seed_study_toml.cpp.new" "$out/obj/bundled_seed_study_toml.cpp"
rm -f "$out/obj/bundled_seed_study_toml.cpp.new"
newest_header=$(ls -t "$root"/include/*/genrelab/*.h "$root"/src/*/*.h "$root"/src/models/tree/*.h | head -1)
objs=()
pids=()
for s in "${sources[@]}"; do
  o="$out/obj/$(echo "${s#$root/}" | tr / _).o"
  # Objects older than any header are rebuilt too (this script tracks no per-file dependencies).
  objs+=("$o")
  if [[ ! -f "$o" || "$s" -nt "$o" || "$newest_header" -nt "$o" ]]; then
    "$cxx" "${flags[@]}" -c "$s" -o "$o" &
    pids+=($!)
    if (( ${#pids[@]} >= ${JOBS:-2} )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  fi
done
for p in "${pids[@]}"; do wait "$p"; done
# toml++ as the real build links it (Debian's compiled library): its header-only
# debug build asserts on table headers that start with a character no key may
# start with, which the compiled library reports as a parse error.
libs=(-lsvm -llinear -lxgboost -lfmt -lcrypto -ltomlplusplus)
for t in model_file_fuzz csv_fuzz experiment_fuzz; do
  "$cxx" "${flags[@]}" -fsanitize=fuzzer "$here/$t.cpp" "${objs[@]}" "${libs[@]}" -o "$out/$t"
done
echo "built $out/model_file_fuzz $out/csv_fuzz $out/experiment_fuzz"
