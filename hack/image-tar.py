#!/usr/bin/env python3
"""Packs a directory tree (or single files) into a one-layer image tar in `docker save` format, without Docker.

containerd (`ctr images import`) and Jib (`<from><image>tar:///path</image></from>`) both read this format.

  image-tar.py --name NAME:TAG --out FILE.tar [--rootfs DIR] [--file SRC:DEST[:MODE]]... \
               [--entrypoint JSON] [--user UID:GID] [--env K=V]... [--workdir DIR]

Device nodes, /proc, /sys and package caches of a --rootfs are left out; ownership is kept from the tree for a
rootfs and set to root for single files, so the layer is the same whoever builds it.
"""
import argparse
import hashlib
import io
import json
import os
import tarfile
import tempfile

SKIP_PREFIXES = ("dev/", "proc/", "sys/", "run/", "tmp/", "var/cache/apt/", "var/lib/apt/lists/",
                 "usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/", "var/log/")


def keep(member: tarfile.TarInfo):
    name = member.name.lstrip("./")
    if member.ischr() or member.isblk() or member.isfifo():
        return None
    if any(name.startswith(p) for p in SKIP_PREFIXES):
        return None
    member.mtime = 0
    return member


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rootfs")
    ap.add_argument("--file", action="append", default=[])
    ap.add_argument("--entrypoint")
    ap.add_argument("--user")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--workdir")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(args.out))) as tmp:
        layer_path = os.path.join(tmp, "layer.tar")
        with tarfile.open(layer_path, "w", format=tarfile.PAX_FORMAT) as layer:
            if args.rootfs:
                for top in ("dev", "proc", "sys", "run", "tmp"):  # empty mount points
                    info = tarfile.TarInfo(top)
                    info.type, info.mode = tarfile.DIRTYPE, 0o1777 if top == "tmp" else 0o755
                    layer.addfile(info)
                for entry in sorted(os.listdir(args.rootfs)):
                    if entry in ("dev", "proc", "sys", "run", "tmp"):
                        continue
                    layer.add(os.path.join(args.rootfs, entry), arcname=entry, filter=keep)
            for spec in args.file:
                parts = spec.split(":")
                src, dest = parts[0], parts[1].lstrip("/")
                mode = int(parts[2], 8) if len(parts) > 2 else 0o755
                for i, _ in enumerate(dest.split("/")[:-1]):
                    d = "/".join(dest.split("/")[: i + 1])
                    if d and d not in layer.getnames():
                        info = tarfile.TarInfo(d)
                        info.type, info.mode = tarfile.DIRTYPE, 0o755
                        layer.addfile(info)
                info = layer.gettarinfo(src, arcname=dest)
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mode, info.mtime = mode, 0
                with open(src, "rb") as f:
                    layer.addfile(info, f)
        digest = sha256_file(layer_path)
        config = {
            "architecture": "amd64",
            "os": "linux",
            "config": {
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + args.env,
            },
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest]},
        }
        if args.entrypoint:
            config["config"]["Entrypoint"] = json.loads(args.entrypoint)
        if args.user:
            config["config"]["User"] = args.user
        if args.workdir:
            config["config"]["WorkingDir"] = args.workdir
        config_bytes = json.dumps(config, sort_keys=True).encode()
        config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
        manifest = [{"Config": config_name, "RepoTags": [args.name], "Layers": [digest + "/layer.tar"]}]
        with tarfile.open(args.out + ".tmp", "w") as out:
            add_bytes(out, config_name, config_bytes)
            add_bytes(out, "manifest.json", json.dumps(manifest).encode())
            dir_info = tarfile.TarInfo(digest)
            dir_info.type, dir_info.mode = tarfile.DIRTYPE, 0o755
            out.addfile(dir_info)
            out.add(layer_path, arcname=digest + "/layer.tar")
        os.replace(args.out + ".tmp", args.out)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def add_bytes(out, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()
