"""Russian text pipeline: normalisation with an offset map, segmentation, morphology."""

from service.nlp.document import Doc, Sentence, Token
from service.nlp.pipeline import Pipeline, get_pipeline

__all__ = ["Doc", "Pipeline", "Sentence", "Token", "get_pipeline"]
