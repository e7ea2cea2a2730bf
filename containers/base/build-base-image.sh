#!/usr/bin/env bash
# Builds the offline base image: a jlink'd JRE 17 from this machine's JDK plus the host libraries it
# and DJL's native engines (PyTorch, ONNX Runtime, tokenizers) load, as a `docker save` tarball that
# Jib reads with -Djib.from.image=tar://<out>/base.tar. Needs only bash, coreutils, GNU tar, ldd
# and a JDK with jmods; no registry, no container engine.
#
#   containers/base/build-base-image.sh <out-dir> [--force]
#
# The tarball is reproducible for a given JDK and host libraries (fixed mtimes, owners, order), so
# its layer digest changes only when they do. An existing tarball is kept unless --force.
set -euo pipefail

out=${1:?usage: build-base-image.sh <out-dir> [--force]}
force=${2:-}
tarball="$out/base.tar"
if [[ -s "$tarball" && "$force" != --force ]]; then
  echo "base image: $tarball exists (pass --force to rebuild)"
  exit 0
fi

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
if [[ ! -d "$java_home/jmods" ]]; then
  echo "base image: $java_home has no jmods/ (jlink needs a full JDK 17, e.g. Debian's openjdk-17-jdk-headless)" >&2
  exit 1
fi
version=$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
if [[ "$version" != 17.* ]]; then
  echo "base image: $java_home is Java $version; the images run Java 17 (set JAVA_HOME to a JDK 17)" >&2
  exit 1
fi

# What a JRE image offers, less the desktop-only and tooling modules; the steps need java.base,
# java.logging, java.management, java.naming, java.desktop (java.beans), jdk.unsupported; the
# operator adds java.net.http and TLS (jdk.crypto.ec).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,\
jdk.unsupported,jdk.zipfs

work=$(mktemp -d "${TMPDIR:-/tmp}/tether-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
jre=/opt/java/openjdk   # where eclipse-temurin keeps its JRE too
mkdir -p "$root/opt/java"

"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root$jre"
# Debian's JDK keeps its trust store (and some security files) as links into /etc: make them files.
for f in "$root$jre"/lib/security/* "$root$jre"/conf/security/*; do
  [[ -L "$f" ]] || continue
  target=$(readlink -f "$java_home/${f#"$root$jre"/}" || true)
  rm "$f"
  if [[ -f "$target" ]]; then cp "$target" "$f"; fi
done
# Headless: no X11, sound or splash screen (their host libraries would come along otherwise).
rm -f "$root$jre"/lib/{libawt_xawt,libjawt,libjsound,libsplashscreen}.so
# No CDS archive (lib/server/classes.jsa): JDK 17 does not dump it reproducibly, and it saves
# ~0.1 s of a start that loading the native engines dominates.

# Host libraries: everything the JRE's binaries link, plus what DJL's bundled natives need
# (libtorch: libstdc++, libgcc_s, libm, libdl, libpthread, librt; libgomp ships with libtorch).
declare -A libs=()
add_deps() {
  local line path
  while read -r line; do
    path=$(sed -nE 's/.*=> (\/[^ ]+) \(.*/\1/p; s/^\s*(\/[^ ]+) \(.*/\1/p' <<<"$line")
    # (the JRE's own libraries resolve into $root; they are in the image already)
    if [[ -n "$path" && "$path" != "$root"/* ]]; then libs["$path"]=1; fi
  done < <(ldd "$1" 2>/dev/null || true)
}
while IFS= read -r -d '' f; do
  if [[ "$(head -c 4 "$f")" == $'\x7fELF' ]]; then add_deps "$f"; fi
done < <(find "$root$jre" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0)
for name in libstdc++.so.6 libgcc_s.so.1 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libz.so.1 libc.so.6; do
  path=$(ldconfig -p | awk -v n="$name" '$1 == n && /x86-64/ && !found++ { print $NF }')
  [[ -n "$path" ]] || { echo "base image: host library $name not found (ldconfig -p)" >&2; exit 1; }
  libs["$path"]=1
  add_deps "$path"
done
# Fonts: the report charts (JFreeChart → SVG) measure text with AWT's font manager, which needs
# fontconfig (the JDK loads it with dlopen, so ldd does not list it) and at least one font. One
# family, DejaVu Sans (Debian's fonts-dejavu-core), with a fontconfig that knows only it.
font=$(fc-match -f '%{file}' 'DejaVu Sans' 2>/dev/null || true)
[[ -f "$font" ]] || font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [[ ! -f "$font" ]]; then
  echo "base image: no DejaVu Sans font on this machine (the report charts need one): apt-get install fonts-dejavu-core fontconfig" >&2
  exit 1
fi
fontconfig=$(ldconfig -p | awk '$1 == "libfontconfig.so.1" && /x86-64/ && !found++ { print $NF }')
[[ -n "$fontconfig" ]] || { echo "base image: host library libfontconfig.so.1 not found: apt-get install fontconfig" >&2; exit 1; }
libs["$fontconfig"]=1
add_deps "$fontconfig"
mkdir -p "$root/usr/share/fonts/truetype/dejavu" "$root/etc/fonts"
cp -L "$font" "$root/usr/share/fonts/truetype/dejavu/"
cat >"$root/etc/fonts/fonts.conf" <<'FONTS'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts</dir>
  <cachedir>/tmp/fontconfig</cachedir>
</fontconfig>
FONTS

# The C.UTF-8 locale the image's LANG names: without its files (Debian keeps them in
# /usr/lib/locale/C.utf8) glibc falls back to ASCII and Java writes "→" in a step's log as "?".
if [[ -d /usr/lib/locale/C.utf8 ]]; then
  mkdir -p "$root/usr/lib/locale"
  cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
else
  echo "base image: no /usr/lib/locale/C.utf8 on this machine; logs in the images will be ASCII" >&2
fi

for path in "${!libs[@]}"; do
  # Keep the path the loader asks for (e.g. /lib64/ld-linux-x86-64.so.2), as a plain file.
  mkdir -p "$root$(dirname "$path")"
  cp -L "$path" "$root$path"
done

# A user for the steps (uid 1001, as the images run), /tmp for DJL and Quarkus, no shell.
mkdir -p "$root/etc" "$root/tmp" "$root/home/tether"
chmod 1777 "$root/tmp"
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
tether:x:1001:1001:tether:/home/tether:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
tether:x:1001:
nogroup:x:65534:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
chown 1001:1001 "$root/home/tether"

# One layer, reproducible: sorted names, fixed times and owners (uid 1001 kept for its home).
mkdir -p "$work/image"
# Entries are named without a leading ./ (Jib refuses ./ in a base tarball).
tar --create --file "$work/layer.tar" --directory "$root" --sort=name --mtime='1970-01-01 00:00:01Z' \
  --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  $(ls -A "$root")
layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir -p "$work/image/$layer_sha"
mv "$work/layer.tar" "$work/image/$layer_sha/layer.tar"

jre_release=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$root$jre/release")
cat >"$work/config.json" <<CONFIG
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=$jre/bin:/usr/bin:/bin","JAVA_HOME=$jre","LANG=C.UTF-8"],"User":"1001","WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"containers/base/build-base-image.sh: jlink'd JRE $jre_release and host libraries"}]}
CONFIG
config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["localhost/tether-base:17"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_sha" "$layer_sha" >"$work/image/manifest.json"

mkdir -p "$out"
tar --create --file "$work/base.tar" --directory "$work/image" --sort=name --mtime='1970-01-01 00:00:01Z' \
  --owner=0 --group=0 --numeric-owner manifest.json "$config_sha.json" "$layer_sha"
mv "$work/base.tar" "$tarball"
echo "base image: $tarball ($(du -h "$tarball" | cut -f1), JRE $jre_release, ${#libs[@]} host libraries, layer sha256:${layer_sha:0:12})"
