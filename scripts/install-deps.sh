#!/usr/bin/env bash
# Installs the Debian packages genrelab needs to build, test and benchmark.
# Only what is missing is installed; `apt-get update` runs once, and only when
# something has to be installed. Uses sudo when not run as root.
#   scripts/install-deps.sh            build + test packages
#   scripts/install-deps.sh --bench    also python3-sklearn / python3-xgboost for bench/
#   scripts/install-deps.sh --browser  also Debian's chromium, for the report's headless-browser
#                                      tests (`make test` passes it)
# Node and npm (the build runs `npm ci` for the report's chart libraries) come
# from Debian only when `npm` is missing, so a newer node/npm already on the
# machine is left alone.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libeigen3-dev libsvm-dev liblinear-dev libxgboost-dev
  libcli11-dev libfmt-dev libfast-float-dev nlohmann-json3-dev libtomlplusplus-dev libnanoflann-dev
  libgtest-dev libbenchmark-dev libssl-dev
  libavformat-dev libavcodec-dev libavutil-dev libsoxr-dev libfftw3-dev libebur128-dev
  libcurl4-openssl-dev libsqlite3-dev libcpp-httplib-dev
  ffmpeg espeak-ng
  python3 python3-xgboost   # XGBoost's tracker for distributed training (genrelab launch, its tests)
)
for flag in "$@"; do
  case "$flag" in
    --bench) packages+=(python3 python3-sklearn python3-xgboost python3-pandas time aubio-tools) ;;
    --browser) packages+=(chromium) ;;
    *) echo "genrelab: install-deps.sh: unknown option '$flag' (use --bench, --browser)" >&2; exit 2 ;;
  esac
done
if ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "genrelab: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "genrelab: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
