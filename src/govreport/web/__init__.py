"""The local web app (``govreport serve``) and the shared HTML report renderer (``govreport parse --format html``)."""
