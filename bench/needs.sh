# Sourced by the benchmark scripts: installs Debian packages (apt-get, through sudo
# when not root) for the commands a benchmark needs and the machine lacks.
# Usage: bench_needs COMMAND:PACKAGE ...  (COMMAND a name on PATH or an absolute path)
bench_needs() {
  local missing=() pair cmd
  for pair in "$@"; do
    cmd=${pair%%:*}
    if [[ $cmd == /* ]]; then [ -x "$cmd" ] && continue; else command -v "$cmd" >/dev/null && continue; fi
    missing+=("${pair#*:}")
  done
  ((${#missing[@]})) || return 0
  echo "installing ${missing[*]} (Debian) for the benchmark" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
