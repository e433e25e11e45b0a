"""Analysis: the spaCy pipeline and wirescope's stages (see pipeline.BUILTIN_STAGES)."""
