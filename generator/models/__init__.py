"""One pydantic model per content kind, and the registry that maps files to kinds."""

from .academy import Course, Lesson, Module, Question
from .common import FALLBACKS, LANGUAGES, Entity, Image, LocalizedText, direction
from .cooperative import Cooperative
from .data import Category, Funding, Label, Region, Sector
from .figures import FigureSource, SectorFigure
from .page import Page
from .product import Product, Variant
from .project import ProjectIdea

__all__ = [
    "FALLBACKS",
    "LANGUAGES",
    "Category",
    "Cooperative",
    "Course",
    "Entity",
    "FigureSource",
    "Funding",
    "Image",
    "Label",
    "Lesson",
    "LocalizedText",
    "Module",
    "Page",
    "Product",
    "ProjectIdea",
    "Question",
    "Region",
    "Sector",
    "SectorFigure",
    "Variant",
    "direction",
]
