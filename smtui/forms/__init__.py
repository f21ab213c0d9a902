"""The form engine: any SageMaker operation's input as an editable, validated form.

No Textual here (the UI in ``smtui/ui/screens/form.py`` only renders what this package
decides), so everything a form does can be unit-tested without a terminal:

- :mod:`~smtui.forms.fields`   the field tree, read lazily from botocore's input shape;
- :mod:`~smtui.forms.values`   raw text <-> typed values, and the request a form state builds;
- :mod:`~smtui.forms.model`    :class:`FormModel`: state, prefill, problems (client and server);
- :mod:`~smtui.forms.server`   AWS error messages ("Value 'x' at 'a.b' failed ...") -> fields;
- :mod:`~smtui.forms.preview`  the request as JSON and as an ``aws sagemaker`` command;
- :mod:`~smtui.forms.drafts`   the last draft of each operation, under ``state_dir()/drafts``;
- :mod:`~smtui.forms.curated`  hand-tuned forms, as data: order, defaults, prefill, danger.

Form state is plain JSON (what a draft file holds): a structure is a dict of member states,
a list a list of item states, a map a list of ``[key, value-state]`` pairs, a boolean a
bool, every other scalar the raw text the user typed. Parsing happens when a request is
built, so a half-typed number is kept exactly as typed and reported, never lost.
"""

from __future__ import annotations
