#!/bin/sh
# Installs the kubectl plugin: copies kubectl-parallelrun (the launcher) and kubectl-parallelrun.jar into DIR
# (default ~/.local/bin), which must be on PATH for `kubectl parallelrun` to be found. Builds the jar first
# when it is missing. Needs Java 17 or later at run time. Usage: hack/install-kubectl-plugin.sh [DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$HOME/.local/bin}
jar=$root/kubectl-plugin/target/kubectl-parallelrun.jar
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -pl kubectl-plugin -am package -DskipTests)
fi
mkdir -p "$dir"
cp "$jar" "$dir/kubectl-parallelrun.jar"
cp "$root/kubectl-plugin/kubectl-parallelrun" "$dir/kubectl-parallelrun"
chmod 755 "$dir/kubectl-parallelrun"
chmod 644 "$dir/kubectl-parallelrun.jar"
echo "installed $dir/kubectl-parallelrun and $dir/kubectl-parallelrun.jar"
case ":$PATH:" in
  *":$dir:"*) echo "try: kubectl parallelrun --help" ;;
  *) echo "note: $dir is not on PATH; add it (export PATH=\"$dir:\$PATH\") for kubectl to find the plugin" ;;
esac
