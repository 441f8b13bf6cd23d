"""Command line: python -m nncore check [NAME] | hint NAME [PART] | solution NAME | reset NAME | fetch-data
| generate | execute [NOTEBOOK ...]."""

import argparse
import sys

from . import exercises, hints


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nncore", description="nncore course tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="check an exercise, or show progress on all of them")
    p.add_argument("name", nargs="?", help="exercise name, e.g. simple_nn (omit for a progress table)")
    p.add_argument("--solutions", action="store_true", help="check the reference solutions instead")
    p = sub.add_parser("hint", help="the next hint for an exercise, one tier at a time")
    p.add_argument("name", help="exercise name, e.g. simple_nn")
    p.add_argument("part", nargs="?", help="which part, e.g. backward (default: the first part not done)")
    p = sub.add_parser("solution", help="the reference solution next to your code, once your check passes "
                       "or you have seen all the hints of a part")
    p.add_argument("name", help="exercise name, e.g. simple_nn")
    p = sub.add_parser("generate", help="(maintainers) regenerate exercises/ from solutions/")
    p.add_argument("--check", action="store_true", help="only report files that would change; exit 1 if any")
    p = sub.add_parser("execute", help="(maintainers) run notebooks and store their outputs")
    p.add_argument("paths", nargs="*", help="notebooks to run (default: all in notebooks/)")
    p = sub.add_parser("reset", help="restore the original stub of one exercise (your file is kept as NAME.py.bak) "
                       "and forget its hints")
    p.add_argument("name")
    sub.add_parser("fetch-data", help="get Fashion-MNIST for notebooks 07 and 08 now (once, sha256-checked), "
                   "unless Debian's package or the cache has it; course.py runs this during setup")
    args = parser.parse_args(argv)

    try:
        if args.command == "check":
            source = "solutions" if args.solutions else None
            if args.name:
                result = exercises.run_check(args.name, source)
                print(result.report(compare=f"{exercises._python()} -m nncore solution {args.name}"))
                return 0 if result.passed else 1
            print(exercises.progress_table(source, f"{exercises._python()} -m nncore check NAME"))
            return 0
        if args.command == "hint":
            print(hints.hint_text(args.name, args.part, commands=hints.terminal()))
            return 0
        if args.command == "solution":
            print(hints.solution_text(args.name, commands=hints.terminal()))
            return 0
        if args.command == "generate":
            if args.check:
                stale = [p for p, text in exercises.generated().items()
                         if not p.exists() or p.read_text() != text]
                for path in stale:
                    print(f"out of date: {path.relative_to(exercises.ROOT)}")
                return 1 if stale else 0
            for path in exercises.generate():
                print(f"wrote {path.relative_to(exercises.ROOT)}")
            return 0
        if args.command == "fetch-data":
            return fetch_data()
        if args.command == "execute":
            from .notebook import execute
            execute(args.paths)
            return 0
        if args.command == "reset":
            backup = hints.reset(args.name)
            print(f"restored exercises/{args.name}.py to its original stub; its hints start again from the first")
            if backup:
                print(f"your previous version is in {backup.relative_to(exercises.ROOT)}")
            return 0
    except exercises.NNCoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def fetch_data():
    """Make sure Fashion-MNIST is on this machine, so the course needs no network afterwards.

    Uses nncore.data's own loader: files already in the cache or in Debian's dataset-fashion-mnist are
    only checked (sha256); otherwise they are downloaded once into the cache. Without a network this
    prints one warning line and returns 1; the notebooks then download the data when they first need it.
    """
    from . import data
    try:
        data.load_fashion_mnist(download=False)
        print("Fashion-MNIST for notebooks 07 and 08: found on this machine, sha256 checked.")
        return 0
    except exercises.NNCoreError:
        pass  # missing or damaged: download it
    print("Fashion-MNIST for notebooks 07 and 08: downloading about 30 MB, once ...", flush=True)
    try:
        data.load_fashion_mnist(download=True)
    except (exercises.NNCoreError, OSError):
        print("warning: could not download Fashion-MNIST now (no network?); notebooks 07 and 08 will try again "
              f"when they first run, or run `{exercises._python()} -m nncore fetch-data` later.", file=sys.stderr)
        return 1
    print(f"Fashion-MNIST: downloaded and sha256 checked, in {data._cache_dir(data.FASHION_MNIST['name'])}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
