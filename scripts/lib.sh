# Shared by scripts/run, scripts/test and scripts/bench: the Debian packages sockstep needs, an
# idempotent way to install the missing ones, and configuring and building with progress shown
# and failures reported. Sourced, not run.

# Build and run. libcap2-bin gives setcap, which the README and the program advise for packet
# capture (`sudo setcap cap_net_raw+ep build/sockstep`): the advice must work as printed.
SOCKSTEP_PACKAGES=(cmake ninja-build g++ pkg-config
  libimgui-dev libstb-dev libglfw3-dev python3-glad libgl1-mesa-dri libglx-mesa0
  fonts-nanum fonts-dejavu-core libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcap2-bin)
# Tests only: a virtual X server, the tools the tests compare against, valgrind for
# scripts/memcheck with libc6-dbg (memcheck refuses to start without the symbols of the stripped
# ld.so; it is only a Recommends, which sockstep_install does not install). The sanitizer
# runtimes of scripts/sanitize (libasan8, libubsan1, liblsan0, libtsan2) come with g++. capsh
# (libcap2-bin) runs `sockstep trace` without CAP_NET_RAW, as a user without it would. The
# export tests compile the exported C with cc (gcc), run the exported Python programs and parse
# the SVG with python3. The key tests send real X key events (XTest) with xdotool. The man page
# test renders sockstep(1) with groff (groff-base).
SOCKSTEP_TEST_PACKAGES=(xvfb xauth strace iproute2 util-linux valgrind libc6-dbg libcap2-bin
  python3 gcc xdotool groff-base git)

sockstep_missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[@]}"
}

# True when this process has a terminal that sudo can ask a password on.
sockstep_have_terminal() {
  { : </dev/tty; } 2>/dev/null
}

# Runs apt-get "$@" (through sudo when SOCKSTEP_APT says so) with its output in a log, which is
# shown only when it fails: apt's progress lines are noise here. No prompt may wait unseen, so
# apt gets no standard input and debconf is told not to ask (through sudo, which would drop an
# exported variable, as an argument).
sockstep_apt() {
  local log status=0
  log=$(mktemp)
  if [ "${SOCKSTEP_APT[0]}" = sudo ]; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get "$@" </dev/null >"$log" 2>&1 || status=$?
  else
    DEBIAN_FRONTEND=noninteractive apt-get "$@" </dev/null >"$log" 2>&1 || status=$?
  fi
  if [ "$status" -ne 0 ]; then
    SOCKSTEP_APT_LOG=$(cat "$log")
  fi
  rm -f "$log"
  return "$status"
}

# Installs whatever of "$@" is missing: as root with apt-get; else through sudo, which asks for
# the password when there is a terminal (as apt users expect); else says the one line to run
# and exits 2. The package lists are updated first when there are none (a fresh image), and
# once more if an install fails (stale lists).
sockstep_install() {
  command -v dpkg-query >/dev/null || { echo "sockstep: this script needs Debian (dpkg)" >&2; exit 2; }
  local missing
  missing=$(sockstep_missing_packages "$@")
  [ -z "$missing" ] && return 0
  local command="apt-get install -y --no-install-recommends $missing"
  SOCKSTEP_APT=(apt-get)
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "sockstep: missing Debian packages, and there is no sudo. As root, run:" >&2
      echo "  $command" >&2
      exit 2
    fi
    if sudo -n true 2>/dev/null; then
      SOCKSTEP_APT=(sudo apt-get)
    elif sockstep_have_terminal; then
      echo "sockstep: installing missing Debian packages needs root: sudo asks for your password" >&2
      if ! sudo -v; then
        echo "sockstep: sudo did not give root. Install them as root with:" >&2
        echo "  $command" >&2
        exit 2
      fi
      SOCKSTEP_APT=(sudo apt-get)
    else
      echo "sockstep: missing Debian packages, and sudo needs a password but there is no" \
           "terminal to ask it on. Install them with:" >&2
      echo "  sudo $command" >&2
      exit 2
    fi
  fi
  echo "sockstep: installing $missing" >&2
  SOCKSTEP_APT_LOG=
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    echo "sockstep: the package lists are empty: apt-get update first" >&2
    sockstep_apt update || {
      printf '%s\n' "$SOCKSTEP_APT_LOG" | tail -n 20 >&2
      echo "sockstep: apt-get update failed" >&2
      exit 2
    }
  fi
  # shellcheck disable=SC2086
  if ! sockstep_apt install -y --no-install-recommends $missing; then
    echo "sockstep: the install failed; updating the package lists and trying again" >&2
    # shellcheck disable=SC2086
    if ! sockstep_apt update || ! sockstep_apt install -y --no-install-recommends $missing; then
      printf '%s\n' "$SOCKSTEP_APT_LOG" | tail -n 20 >&2
      echo "sockstep: installing the packages failed: $command" >&2
      exit 2
    fi
  fi
}

sockstep_generator() {
  if command -v ninja >/dev/null; then echo "-GNinja"; fi
}

# sockstep_configure DIR CMAKE-ARGS...: configures DIR, saying so; cmake's output goes to
# DIR/configure.log and its end is shown if it fails (then exit 1).
sockstep_configure() {
  local dir=$1
  shift
  echo "sockstep: configuring $dir/" >&2
  mkdir -p "$dir"
  # $(sockstep_generator) stays unquoted: it is empty when ninja is missing.
  # shellcheck disable=SC2046
  if ! cmake -S . -B "$dir" $(sockstep_generator) "$@" >"$dir/configure.log" 2>&1; then
    tail -n 30 "$dir/configure.log" >&2
    echo "sockstep: configuring $dir/ failed (the whole output: $dir/configure.log)" >&2
    exit 1
  fi
}

# sockstep_build DIR [TARGET...]: builds DIR with progress on standard error (one line that
# counts up on a terminal, a line every tenth of the way otherwise); the compiler's messages
# are shown as they come and kept in DIR/build.log. A failed build exits 1: nothing is run from
# a build that failed.
sockstep_build() {
  local dir=$1 status
  shift
  local targets=()
  [ $# -gt 0 ] && targets=(--target "$@")
  echo "sockstep: building $dir/ (a first build takes a few minutes)" >&2
  local tty=0
  [ -t 2 ] && tty=1
  set +e
  cmake --build "$dir" "${targets[@]}" -j "$(nproc)" 2>&1 | tee "$dir/build.log" |
    awk -v tty="$tty" '
      # Ninja: "[12/156] Building ..."; Make: "[ 12%] Building ...".
      match($0, /^\[ *[0-9]+\/[0-9]+\]/) || match($0, /^\[ *[0-9]+%\]/) {
        s = substr($0, 2, RLENGTH - 2); gsub(/ /, "", s)
        if (index(s, "/")) { split(s, p, "/"); pct = int(100 * p[1] / p[2]); what = p[1] "/" p[2] }
        else { pct = int(s); what = s "%" }
        if (what ~ /^0[\/%]/) next
        if (tty) { printf "\rsockstep: building %s", what > "/dev/stderr"; shown = 1 }
        else if (pct >= next_pct) { printf "sockstep: building %s\n", what > "/dev/stderr"; next_pct = pct - pct % 10 + 10 }
        next
      }
      /^(Scanning dependencies|Consolidate compiler|Built target|make(\[[0-9]+\])?: )/ { next }
      { if (shown) { printf "\n" > "/dev/stderr"; shown = 0 } print > "/dev/stderr" }
      END { if (shown) printf "\n" > "/dev/stderr" }'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "sockstep: the build of $dir/ failed (exit $status; the whole output: $dir/build.log)" >&2
    exit 1
  fi
}

# After a ctest run that failed, with its output in LOG (ctest --output-log): each failed test's
# name and the lines that say why (GoogleTest's failures, a sanitizer's report head, the sockstep
# message of a child), once more at the very end. A long run's page (CI keeps only its head and
# tail) then still says why, not just which.
sockstep_failure_digest() {  # LOG
  local log=$1
  [ -f "$log" ] || return 0
  echo "=== why the failed tests failed (from $log) ==="
  awk '
    /Test +#[0-9]+: / {
      if ($0 ~ /Passed/) { block = 0; next }
      if ($0 ~ /\*\*\*|Failed|Subprocess|Timeout|Exception|Not Run/) {
        name = $0; sub(/^.*Test +#[0-9]+: /, "", name); sub(/ +[.]+.*$/, "", name)
        print "--- " name; block = 1; left = 0; lines = 0; next
      }
    }
    /^ *Start +[0-9]+: / { block = 0; next }
    block && lines < 40 {
      if ($0 ~ /: Failure$|ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: ThreadSanitizer|runtime error:|SUMMARY: |Timeout|sockstep: /) {
        left = ($0 ~ /Failure$/) ? 12 : 4
      }
      if (left > 0) { print "  " $0; left--; lines++ }
    }
  ' "$log" | head -n 200
}
