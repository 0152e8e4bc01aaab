#!/usr/bin/env python3
"""Adds lockfile entries for platform packages that this machine's npm registry mirror does not serve.

Why: the registry reachable here answers 404 for most of rollup's per-platform optional packages
(@rollup/rollup-darwin-x64 ...). `npm install` then leaves them out of package-lock.json, and `npm ci`
refuses the lock as "out of sync". An entry with os/cpu/libc and "optional": true lets `npm ci` accept the
lock and skip the package on other platforms, as npm does for any lock written where the registry is complete.
See docs/decisions/0001-lockfile-optional-platforms.md. Run after `npm install` changes the lock.
"""
import json, re, sys

PATH = 'package-lock.json'
lock = json.load(open(PATH))
pkgs = lock['packages']
added = 0
for path, meta in list(pkgs.items()):
    for dep, ver in (meta.get('optionalDependencies') or {}).items():
        key = 'node_modules/' + dep
        if key in pkgs or not dep.startswith('@rollup/rollup-'):
            continue
        m = re.match(r'@rollup/rollup-([a-z0-9]+)-([a-z0-9]+)(?:-(gnu|musl|msvc|gnueabihf|musleabihf|eabi))?$', dep)
        if not m:
            sys.exit(f'unrecognised platform package {dep}')
        os_, cpu, abi = m.groups()
        cpu = {'arm': 'arm', 'arm64': 'arm64', 'x64': 'x64', 'ia32': 'ia32', 'loong64': 'loong64', 'ppc64': 'ppc64',
               'riscv64': 'riscv64', 's390x': 's390x'}.get(cpu, cpu)
        if os_ == 'android' and cpu == 'arm':
            cpu = 'arm'
        entry = {'version': ver, 'cpu': [cpu], 'dev': bool(meta.get('dev'))}
        if abi in ('gnu', 'gnueabihf'):
            entry['libc'] = ['glibc']
        elif abi in ('musl', 'musleabihf'):
            entry['libc'] = ['musl']
        entry.update({'license': 'MIT', 'optional': True, 'os': [{'win32': 'win32'}.get(os_, os_)]})
        if not entry['dev']:
            del entry['dev']
        pkgs[key] = entry
        added += 1
lock['packages'] = dict(sorted(pkgs.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(PATH, 'w'), indent=2)
open(PATH, 'a').write('\n')
print(f'added {added} platform entries')
