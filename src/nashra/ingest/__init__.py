"""Reading articles from files and folders: the ingest stage.

* :mod:`.files`: walking folders, refusing what is not an article file, decoding text, a file's stamp;
* :mod:`.formats`: the formats read, by suffix, each a :class:`~.reader.Reader`:

  - ``.txt`` (:mod:`.plain`): UTF-8 plain text, one paragraph per line; the title is derived from the
    lead sentence. A ``.txt`` file whose content starts with ``<DOC>`` is read as TREC, which is how
    the ANT corpus ships its articles.
  - ``.md``/``.markdown`` (:mod:`.markdown`): Markdown with optional YAML front matter (``title``,
    ``source``, ``url``, ``date``, ``id``, ``abstract``).
  - ``.xml``/``.trec`` (:mod:`.trec`): TREC-style ``<DOC>`` documents (DOCNO, URL, SRC, TITLE, TIME,
    ABSTRACT, TEXT), parsed leniently: not every corpus file is valid XML.
  - ``.json`` (an object or a list of objects) and ``.jsonl`` (one object per line) (:mod:`.jsonfiles`),
    with ``title`` and ``text`` and the optional fields above;

* :mod:`.fields`: the fields a file gives, checked and cleaned into an :class:`~nashra.document.Article`;
* :mod:`.stage`: every article under the sources, one at a time (:func:`~.stage.iter_inputs`).

A file that cannot be read never stops the others: the stage yields the articles it could read and
keeps an :class:`~nashra.errors.InputError` for each file or record it could not.
"""
