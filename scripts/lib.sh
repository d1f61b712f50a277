# Shared by scripts/run, scripts/test and scripts/bench: the Debian packages sockstep needs and
# an idempotent way to install the missing ones. Sourced, not run.

# Build and run.
SOCKSTEP_PACKAGES=(cmake ninja-build g++ pkg-config
  libimgui-dev libstb-dev libglfw3-dev python3-glad libgl1-mesa-dri libglx-mesa0
  fonts-nanum libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev)
# Tests only: a virtual X server, the tools the tests compare against, valgrind for
# scripts/memcheck with libc6-dbg (memcheck refuses to start without the symbols of the stripped
# ld.so; it is only a Recommends, which sockstep_install does not install). The sanitizer
# runtimes of scripts/sanitize (libasan8, libubsan1, liblsan0, libtsan2) come with g++. capsh
# (libcap2-bin) runs `sockstep trace` without CAP_NET_RAW, as a user without it would. The
# export tests compile the exported C with cc (gcc) and parse the SVG with python3.
SOCKSTEP_TEST_PACKAGES=(xvfb xauth strace iproute2 util-linux valgrind libc6-dbg libcap2-bin
  python3 gcc)

sockstep_missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[@]}"
}

# Installs whatever of "$@" is missing: as root with apt-get, else through sudo when it works
# without a password prompt we cannot answer, else says the one line to run and exits 2.
sockstep_install() {
  command -v dpkg-query >/dev/null || { echo "sockstep: this script needs Debian (dpkg)" >&2; exit 2; }
  local missing
  missing=$(sockstep_missing_packages "$@")
  [ -z "$missing" ] && return 0
  local apt=(apt-get)
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      apt=(sudo apt-get)
    else
      echo "sockstep: missing Debian packages. Install them with:" >&2
      echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
      exit 2
    fi
  fi
  echo "sockstep: installing $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! "${apt[@]}" install -y -qq --no-install-recommends $missing >/dev/null; then
    "${apt[@]}" update -qq
    # shellcheck disable=SC2086
    "${apt[@]}" install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

sockstep_generator() {
  if command -v ninja >/dev/null; then echo "-GNinja"; fi
}
