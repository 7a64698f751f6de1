"""Train the extractor's category weights (factcheck/extraction/category_weights.json) from the
tuning half of the labelled corpus, and print their 5-fold cross-validated accuracy by article
beside the rules' own. Run from the repository root after changing the rules or the tuning half:

    python bench/train_category.py

The untouched half is never read. The same corpus and rules always give the same weights.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factcheck.extraction.category_model import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
