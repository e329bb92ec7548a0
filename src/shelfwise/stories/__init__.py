"""Stories (issue 17): exhibitions built on the catalogue, in Chinese, Korean and English."""
