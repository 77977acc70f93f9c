"""What an uploaded image is, told from its first bytes (R6).

Never from the file name or the client's Content-Type: both are the client's word, and a
`.png` holding HTML served back as an image is how stored XSS starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator

import puremagic

from .errors import InvalidInputError, UnsupportedMediaTypeError

# What an upload may be: formats every browser renders and none of which runs script
# (SVG can, so it is not here).
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
# The signatures of these types end within 12 bytes; a longer head only lets signatures
# found deeper in the data (puremagic knows hundreds of formats) compete with them.
SNIFF_BYTES = 64


def sniff_image_type(head: bytes) -> str | None:
    """The type of the image starting with `head`, if it is one of IMAGE_TYPES."""
    try:
        matches = puremagic.magic_string(head[:SNIFF_BYTES])
    except puremagic.PureError:
        # puremagic 1.x (the last for Python 3.11) raises where 2.x returns no match.
        return None
    if not matches:
        return None
    # Best match first: a file that is most likely something else is refused, whatever
    # weaker image signature it also carries.
    media_type = matches[0].mime_type
    return media_type if media_type in IMAGE_TYPES else None


async def sniffed_image(chunks: AsyncIterable[bytes]) -> tuple[str, AsyncIterator[bytes]]:
    """The image's type, from the first chunks, and all of its chunks, those included.

    Only the head is read before the type is known, so a refused upload is refused early.
    """
    iterator = aiter(chunks)
    head = b""
    async for chunk in iterator:
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    if not head:
        # 422, not 415: nothing was sent whose type could be refused; the request lacks
        # what it must carry, like a required field left out.
        raise InvalidInputError("The image is empty.")
    media_type = sniff_image_type(head)
    if media_type is None:
        raise UnsupportedMediaTypeError(
            f"The content is not an image of an accepted type ({', '.join(IMAGE_TYPES)})."
        )

    async def everything() -> AsyncIterator[bytes]:
        yield head
        async for chunk in iterator:
            yield chunk

    return media_type, everything()
