# Sourced by scripts/test, scripts/test-sanitizers and scripts/fuzz-smoke after scripts/setup:
# compile through ccache when it is installed (setup installs it; PC_NO_CCACHE=1 turns it off).
# CCACHE_BASEDIR makes this checkout's paths relative and CCACHE_NOHASHDIR leaves the working
# directory out of the hash, so a clean clone in another folder (CI) reuses the objects of an
# earlier build of the same sources with the same flags instead of compiling them again.
# Sets pc_launcher_args for the cmake configure lines.
pc_launcher_args=()
if [ -z "${PC_NO_CCACHE:-}" ] && command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  pc_launcher_args=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
