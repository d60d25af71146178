"""``python -m benchmarks`` (``make bench``): see benchmarks/README.md."""

from benchmarks.run import main

raise SystemExit(main())
