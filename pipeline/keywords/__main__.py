from .score import _main

raise SystemExit(_main())
