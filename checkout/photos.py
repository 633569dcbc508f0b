"""A submitted photo, made safe to keep and to publish: its type read from its bytes, its size
checked before it is decoded, then re-encoded as a plain JPEG.

The sender's file is never kept nor trusted: only JPEG, PNG and WebP are opened (Pillow is told
to try no other format), the pixel count is read from the header and refused above the limit
before any pixel is decoded (a "decompression bomb" of a few KB that would unpack to gigabytes),
the EXIF orientation is applied, and the result is a new JPEG without EXIF (GPS position, phone
model, date), ICC profile, comments or thumbnails. Its colours are converted to sRGB first when
the photo carried a profile, so that dropping the profile does not change how it looks.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 2000  # pixels, the longest side of the stored photo (the site shows at most 1600)
QUALITY = 85
_SRGB = ImageCms.createProfile("sRGB")


class PhotoRefused(Exception):
    """The photo cannot be used: ``reason`` is "type" (not a JPEG, PNG or WebP, or a damaged
    one) or "pixels" (more than the limit)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reencode(raw: bytes, max_pixels: int) -> bytes:
    """``raw`` as a new JPEG (RGB, at most MAX_SIDE pixels a side, no metadata), or
    :class:`PhotoRefused`."""
    with warnings.catch_warnings():
        # Our own pixel limit is checked first; Pillow's warning (its global limit, which the
        # generator lowers when it is loaded in the same process) would only repeat it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        width, height = _check(raw, max_pixels)
        # verify() leaves the image unusable: open it again to decode it.
        try:
            with Image.open(io.BytesIO(raw), formats=FORMATS) as image:
                scale = min(1.0, MAX_SIDE / max(width, height))
                # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size directly: less memory
                # and time for the large photos phones take.
                image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
                image.load()
                # Read the orientation, then drop the EXIF block before turning: exif_transpose
                # writes the block back, and a damaged one (a tag of an unexpected type) fails
                # there. It is not kept anyway.
                image.getexif()
                for key in ("exif", "Raw profile type exif"):
                    image.info.pop(key, None)
                upright = ImageOps.exif_transpose(image)
                rgb = _to_srgb(upright)
        except Image.DecompressionBombError as error:
            raise PhotoRefused("pixels") from error
        except (OSError, ValueError, SyntaxError) as error:
            raise PhotoRefused("type") from error
    rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # Pillow writes EXIF, XMP and ICC only when asked, but carries a JPEG comment over from
    # `info`: the new image starts with none.
    rgb.info = {}
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _check(raw: bytes, max_pixels: int) -> tuple[int, int]:
    """The photo's size from its header, after checking its type and structure."""
    try:
        with Image.open(io.BytesIO(raw), formats=FORMATS) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise PhotoRefused("pixels")
            probe.verify()  # PNG: every chunk's checksum; the others: the structure
    except PhotoRefused:
        raise
    except Image.DecompressionBombError as error:
        raise PhotoRefused("pixels") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise PhotoRefused("type") from error
    if width < 1 or height < 1:
        raise PhotoRefused("type")
    return width, height


def _to_srgb(image: Image.Image) -> Image.Image:
    """An RGB image in sRGB; transparency laid on white (a logo on a transparent PNG)."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    elif image.mode in ("I", "I;16", "I;16B", "I;16L"):
        # 16-bit grey (some scanners' PNGs): scaled to 8 bits, not clipped to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode not in ("RGB", "CMYK"):
        image = image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken profile, or one for other colours: pixels as they are
        if converted is not None:
            return converted
    return image.convert("RGB")
