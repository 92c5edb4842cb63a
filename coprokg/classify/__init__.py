"""Ontology-driven classification of described cases, with explanations and near misses."""

from coprokg.classify.classifier import Classifier, default_classifier
from coprokg.classify.result import Classification, Explanation, Membership, NearMiss

__all__ = ["Classification", "Classifier", "Explanation", "Membership", "NearMiss", "default_classifier"]
