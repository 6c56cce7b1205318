"""``python -m analyzer.cli``: the same as the ``govreport`` command."""

from analyzer.cli.main import main

if __name__ == "__main__":
    main()
