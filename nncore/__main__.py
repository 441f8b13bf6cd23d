"""Command line: python -m nncore check [NAME] | reset NAME | generate | execute [NOTEBOOK ...]."""

import argparse
import sys

from . import exercises


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nncore", description="nncore course tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="check an exercise, or show progress on all of them")
    p.add_argument("name", nargs="?", help="exercise name, e.g. simple_nn (omit for a progress table)")
    p.add_argument("--solutions", action="store_true", help="check the reference solutions instead")
    p = sub.add_parser("generate", help="(maintainers) regenerate exercises/ from solutions/")
    p.add_argument("--check", action="store_true", help="only report files that would change; exit 1 if any")
    p = sub.add_parser("execute", help="(maintainers) run notebooks and store their outputs")
    p.add_argument("paths", nargs="*", help="notebooks to run (default: all in notebooks/)")
    p = sub.add_parser("reset", help="restore the original stub of one exercise (your file is kept as NAME.py.bak)")
    p.add_argument("name")
    args = parser.parse_args(argv)

    try:
        if args.command == "check":
            source = "solutions" if args.solutions else None
            if args.name:
                result = exercises.run_check(args.name, source)
                print(result.report())
                return 0 if result.passed else 1
            exercises.check(None, source)
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
        if args.command == "execute":
            from .notebook import execute
            execute(args.paths)
            return 0
        if args.command == "reset":
            backup = exercises.reset(args.name)
            print(f"restored exercises/{args.name}.py to its original stub")
            if backup:
                print(f"your previous version is in {backup.relative_to(exercises.ROOT)}")
            return 0
    except exercises.NNCoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
