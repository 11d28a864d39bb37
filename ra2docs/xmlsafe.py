"""The one SAX parser for untrusted XML (result files, ReqIF imports): defusedxml's, with a cap on tokens.

defusedxml refuses DTDs, entities and external references. What it does not
bound is the work on one long token: expat before 2.6 scans a token that is
not finished yet again at every buffer it is fed, so a 10 MB attribute took
4 s and a 40 MB one 37 s (the time grows with the square of its length). A
tag with its attributes, a comment or a processing instruction longer than
``MAX_XML_TOKEN`` bytes is therefore refused as soon as that many bytes have
gone by without expat finishing an event, well under a second. Character data
and CDATA are reported piece by piece, whatever their length, and are not
limited here.
"""

from __future__ import annotations

from typing import Any
from xml.parsers.expat import XMLParserType

from defusedxml.expatreader import DefusedExpatParser

MAX_XML_TOKEN = 1024 * 1024  # bytes of one tag with its attributes, one comment, one processing instruction


class XmlTokenTooLong(ValueError):
    """A token went on for more than ``MAX_XML_TOKEN`` bytes; ``offset``: where it began, at the latest."""

    def __init__(self, offset: int) -> None:
        super().__init__(
            f"an XML tag (with its attributes) or comment longer than {MAX_XML_TOKEN:,} bytes, "
            f"after byte {offset:,}; refused"
        )
        self.offset = offset


class CappedExpatParser(DefusedExpatParser):
    """defusedxml's expat SAX parser (``forbid_dtd``), refusing a token longer than ``MAX_XML_TOKEN`` bytes."""

    _parser: XMLParserType  # the expat parser ExpatParser.reset() makes (private there, so not in its stubs)

    def __init__(self) -> None:
        super().__init__(forbid_dtd=True)
        self._fed = 0
        self._last_event = 0  # byte index where the last event expat reported began

    def reset(self) -> None:
        super().reset()
        self._fed = self._last_event = 0
        parser = self._parser
        events = ("StartElementHandler", "EndElementHandler", "CharacterDataHandler", "ProcessingInstructionHandler")
        for name in events:
            handler = getattr(parser, name, None)
            if handler is not None:
                setattr(parser, name, self._noting(handler))
        parser.CommentHandler = self._noting(lambda _text: None)

    def _noting(self, handler: Any) -> Any:
        def noted(*args: Any) -> Any:
            self._last_event = max(self._last_event, self._parser.CurrentByteIndex)
            return handler(*args)

        return noted

    def feed(self, data: Any, isFinal: bool = False) -> None:
        super().feed(data, isFinal)
        self._fed += len(data)
        if self._fed - self._last_event > MAX_XML_TOKEN:
            raise XmlTokenTooLong(self._last_event)
