"""Responsive images: variants, the cache, EXIF, content errors at check and at encode, the HTML."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from selectolax.lexbor import LexborHTMLParser

from generator import images
from generator.build import check
from generator.errors import BuildFailed
from generator.images import ImageStore, variant_widths
from generator.models import Image as ImageRef
from generator.models import LocalizedText
from generator.render import Renderer
from generator.theme import Theme

ALT = LocalizedText(ar="صورة", fr="Photo")
PRODUCT = Path("products/tamount/huile-argan.yaml")  # line 15 holds `images: [{src: …}]`


def photo(path: Path, size: tuple[int, int], fmt: str = "JPEG", **save: object) -> Path:
    """A small photo-like picture (gradients, so encoders have real work)."""
    w, h = size
    r = Image.linear_gradient("L").resize((w, h))
    g = Image.radial_gradient("L").resize((w, h))
    b = r.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.merge("RGB", (r, g, b)).save(path, fmt, **save)
    return path


def png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that claims ``width`` × ``height`` pixels in a few bytes (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ImageStore]:
    (tmp_path / "content" / "media").mkdir(parents=True)
    with ImageStore(tmp_path / "content", tmp_path / "cache") as s:
        yield s


def content(s: ImageStore) -> Path:
    return s.root


def sizes_in(folder: Path, paths: list[str]) -> dict[str, tuple[str, tuple[int, int]]]:
    found = {}
    for rel in paths:
        with Image.open(folder / rel) as im:
            found[rel] = (im.format or "", im.size)
    return found


# -- variants --------------------------------------------------------------------------------------


def test_variants_have_the_right_widths_and_formats(store: ImageStore, tmp_path: Path) -> None:
    photo(content(store) / "media/a.jpg", (1600, 1200))
    out = tmp_path / "out"
    placed = store.publish(["media/a.jpg"], out, jobs=1)
    digest = store.digest("media/a.jpg")
    assert len(digest) == 16
    got = sizes_in(out, placed)
    assert got == {
        f"media/_v/{digest[:2]}/{digest}-{w}.{ext}": (fmt, (w, w * 3 // 4))
        for w in (320, 640, 1024)
        for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG"))
    }
    with Image.open(out / placed[0]) as im:
        assert im.mode == "RGB"


def test_no_upscaling_and_the_original_width_is_kept(store: ImageStore, tmp_path: Path) -> None:
    assert variant_widths(5000) == [320, 640, 1024]
    assert variant_widths(1024) == [320, 640, 1024]
    assert variant_widths(800) == [320, 640, 800]
    assert variant_widths(200) == [200]
    photo(content(store) / "media/small.png", (500, 250), "PNG")
    placed = store.publish(["media/small.png"], tmp_path / "out", jobs=1)
    widths = {size[0] for _, size in sizes_in(tmp_path / "out", placed).values()}
    assert widths == {320, 500}
    pic = store.picture(ImageRef(src="media/small.png", alt=ALT))
    assert (pic["width"], pic["height"]) == (500, 250)
    assert pic["src"].endswith("-500.jpg")  # the largest not above 640
    assert pic["srcset_webp"].count("w,") == 1 and pic["srcset_webp"].endswith(" 500w")


def test_picture_fields_for_a_photo_and_for_svg(store: ImageStore) -> None:
    photo(content(store) / "media/a.jpg", (2000, 1000))
    (content(store) / "media/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"></svg>', encoding="utf-8"
    )
    pic = store.picture(ImageRef(src="media/a.jpg", alt=ALT))
    d = store.digest("media/a.jpg")
    assert pic["src"] == f"/media/_v/{d[:2]}/{d}-640.jpg"
    assert pic["srcset_jpeg"] == ", ".join(
        f"/media/_v/{d[:2]}/{d}-{w}.jpg {w}w" for w in (320, 640, 1024)
    )
    assert (pic["width"], pic["height"], pic["alt"]) == (1024, 512, ALT)
    svg = store.picture(ImageRef(src="media/logo.svg", alt=ALT))
    assert svg["raster"] is False and svg["srcset_jpeg"] == ""
    assert (svg["src"], svg["width"], svg["height"]) == ("/media/logo.svg", 120, 80)


def test_exif_orientation_is_applied_and_exif_stripped(store: ImageStore, tmp_path: Path) -> None:
    # Stored 800 × 400: left half red, right half blue; EXIF says "rotate 90° clockwise to view".
    im = Image.new("RGB", (800, 400), (220, 0, 0))
    im.paste((0, 0, 220), (400, 0, 800, 400))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "CameraApp 1.0"  # Software
    im.save(content(store) / "media/turned.jpg", exif=exif.tobytes())
    info = store.inspect("media/turned.jpg")
    assert (info.width, info.height) == (400, 800)  # as displayed
    out = tmp_path / "out"
    placed = store.publish(["media/turned.jpg"], out, jobs=1)
    for rel in placed:
        with Image.open(out / rel) as v:
            assert v.width < v.height  # upright
            assert not v.getexif() and "exif" not in v.info and "icc_profile" not in v.info
            rgb = v.convert("RGB")
            top, bottom = (
                rgb.getpixel((v.width // 2, 5)),
                rgb.getpixel((v.width // 2, v.height - 5)),
            )
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            assert top[0] > 150 and top[2] < 80  # the red half is on top
            assert bottom[2] > 150 and bottom[0] < 80
    assert sorted({sizes_in(out, [rel])[rel][1] for rel in placed}) == [(320, 640), (400, 800)]


def test_colour_profile_is_applied_then_dropped(store: ImageStore, tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo(content(store) / "media/icc.jpg", (400, 300), icc_profile=srgb)
    with Image.open(content(store) / "media/icc.jpg") as original:
        assert original.info.get("icc_profile")
    out = tmp_path / "out"
    for rel in store.publish(["media/icc.jpg"], out, jobs=1):
        with Image.open(out / rel) as v:
            assert "icc_profile" not in v.info and v.mode == "RGB"


def test_transparent_png_is_flattened_on_white(store: ImageStore, tmp_path: Path) -> None:
    Image.new("RGBA", (400, 400), (0, 0, 0, 0)).save(content(store) / "media/clear.png")
    placed = store.publish(["media/clear.png"], tmp_path / "out", jobs=1)
    jpg = next(p for p in placed if p.endswith("-400.jpg"))
    with Image.open(tmp_path / "out" / jpg) as v:
        pixel = v.convert("RGB").getpixel((10, 10))
    assert isinstance(pixel, tuple) and min(pixel) > 245


# -- the cache -------------------------------------------------------------------------------------


def test_a_second_publish_encodes_nothing(store: ImageStore, tmp_path: Path) -> None:
    photo(content(store) / "media/a.jpg", (1200, 900))
    first = store.publish(["media/a.jpg"], tmp_path / "one", jobs=1)
    assert store.encoded == 6
    second = store.publish(["media/a.jpg"], tmp_path / "two", jobs=1)
    assert second == first and store.encoded == 6
    # The variants are hard links to the cache (no copy), when the file system allows it.
    cached = tmp_path / "cache" / "v"
    assert any(os.path.samefile(tmp_path / "two" / first[0], c) for c in cached.rglob("*.*"))


def test_a_new_store_reuses_the_cache_and_the_index(tmp_path: Path) -> None:
    root, cache = tmp_path / "content", tmp_path / "cache"
    photo(root / "media/a.jpg", (700, 500))
    with ImageStore(root, cache) as first:
        digest = first.digest("media/a.jpg")
        first.publish(["media/a.jpg"], tmp_path / "one", jobs=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(images, "_digest", lambda path: pytest.fail("re-hashed an unchanged file"))
        with ImageStore(root, cache) as again:
            assert again.digest("media/a.jpg") == digest
            again.publish(["media/a.jpg"], tmp_path / "two", jobs=1)
            assert again.encoded == 0


def test_incremental_publish_leaves_present_files_alone(store: ImageStore, tmp_path: Path) -> None:
    photo(content(store) / "media/a.jpg", (700, 500))
    (content(store) / "media/logo.svg").write_text('<svg width="10" height="10"></svg>')
    out = tmp_path / "out"
    placed = store.publish(["media/a.jpg", "media/logo.svg"], out, jobs=1)
    assert "media/logo.svg" in placed
    inodes = {rel: (out / rel).stat().st_ino for rel in placed}
    assert store.publish(["media/a.jpg", "media/logo.svg"], out, jobs=1) == placed
    assert {rel: (out / rel).stat().st_ino for rel in placed} == inodes


def test_same_bytes_under_two_names_are_encoded_once(store: ImageStore, tmp_path: Path) -> None:
    photo(content(store) / "media/a.jpg", (700, 500))
    (content(store) / "media/copy.jpg").write_bytes((content(store) / "media/a.jpg").read_bytes())
    placed = store.publish(["media/a.jpg", "media/copy.jpg"], tmp_path / "out", jobs=1)
    assert store.encoded == 6 and len(placed) == 6
    assert store.digest("media/a.jpg") == store.digest("media/copy.jpg")


def test_changed_bytes_give_new_urls(store: ImageStore, tmp_path: Path) -> None:
    path = photo(content(store) / "media/a.jpg", (700, 500))
    before = store.picture(ImageRef(src="media/a.jpg", alt=ALT))["srcset_webp"]
    old = store.digest("media/a.jpg")
    first = store.publish(["media/a.jpg"], tmp_path / "out", jobs=1)
    photo(path, (700, 500), quality=50)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    # The same (long-lived, as in `taawun serve`) store sees the new bytes.
    assert store.digest("media/a.jpg") != old
    after = store.picture(ImageRef(src="media/a.jpg", alt=ALT))["srcset_webp"]
    assert old in before and old not in after
    second = store.publish(["media/a.jpg"], tmp_path / "out", jobs=1)
    assert store.encoded == 12 and not set(first) & set(second)


def test_parallel_encoding(store: ImageStore, tmp_path: Path) -> None:
    for i in range(3):
        photo(content(store) / f"media/p{i}.jpg", (700 + i, 500))
    placed = store.publish([f"media/p{i}.jpg" for i in range(3)], tmp_path / "out", jobs=2)
    assert len(placed) == 18 and store.encoded == 18
    assert all((tmp_path / "out" / rel).stat().st_size > 0 for rel in placed)


def test_site_image_sources(minimal_site: Path) -> None:
    result = check(minimal_site)
    assert result.site is not None
    assert images.site_image_sources(result.site) == {"media/tamount.svg"}


# -- content errors --------------------------------------------------------------------------------


def use_image(site: Path, src: str) -> None:
    """Point the product's image at ``src``."""
    yaml = site / PRODUCT
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace("media/tamount.svg", src), encoding="utf-8"
    )


def messages(site: Path) -> list[str]:
    return [p.as_text() for p in check(site).report]


WHERE = "content/products/tamount/huile-argan.yaml:15:11: "


def test_a_png_named_jpg_is_fine_but_text_named_jpg_is_not(minimal_site: Path) -> None:
    photo(minimal_site / "media/real-png.jpg", (800, 600), "PNG")
    use_image(minimal_site, "media/real-png.jpg")
    assert messages(minimal_site) == []
    (minimal_site / "media/real-png.jpg").write_text("not a photo at all\n")
    (problem,) = messages(minimal_site)
    assert problem.startswith(WHERE + "the photo `media/real-png.jpg` could not be read")
    assert "export it again" in problem


def test_unsupported_formats_are_named(minimal_site: Path) -> None:
    Image.new("RGB", (400, 400)).save(minimal_site / "media/anim.jpg", "GIF")
    (minimal_site / "media/iphone.jpg").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    use_image(minimal_site, "media/anim.jpg")
    (gif,) = messages(minimal_site)
    assert gif.startswith(WHERE + "`media/anim.jpg` is a GIF file") and "JPEG" in gif
    (minimal_site / PRODUCT).write_text(
        (minimal_site / PRODUCT).read_text(encoding="utf-8").replace("anim.jpg", "iphone.jpg"),
        encoding="utf-8",
    )
    (heic,) = messages(minimal_site)
    assert "HEIC" in heic and heic.startswith(WHERE)


@pytest.mark.parametrize(("width", "height"), [(20000, 20000), (9000, 5000)])
def test_too_many_pixels_is_a_content_error(minimal_site: Path, width: int, height: int) -> None:
    png_header(minimal_site / "media/huge.png", width, height)
    use_image(minimal_site, "media/huge.png")
    (problem,) = messages(minimal_site)
    assert problem.startswith(WHERE + "the photo `media/huge.png` is too big")
    assert f"{width * height / 1e6:.0f} megapixels" in problem
    if width < 10000:  # opened (Pillow only warned): the message names the size
        assert f"{width} × {height} px" in problem
    assert "at most 4000 px on the long side" in problem
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS  # Pillow's own guard is ours, on purpose


def test_a_file_too_large_and_a_photo_too_small(minimal_site: Path) -> None:
    big = photo(minimal_site / "media/big.jpg", (800, 600))
    with big.open("r+b") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: cheap
    use_image(minimal_site, "media/big.jpg")
    (problem,) = messages(minimal_site)
    assert problem.startswith(WHERE + "the image `media/big.jpg` is 21 MB; the limit is 20 MB")
    photo(minimal_site / "media/tiny.jpg", (200, 150))
    (minimal_site / PRODUCT).write_text(
        (minimal_site / PRODUCT).read_text(encoding="utf-8").replace("big.jpg", "tiny.jpg"),
        encoding="utf-8",
    )
    result = check(minimal_site)
    assert not result.report.has_errors
    (warning,) = [p.as_text() for p in result.report.warnings]
    assert warning.startswith(WHERE + "warning: the photo `media/tiny.jpg` is only 200 px wide")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_damaged_photo_stops_publish_with_its_yaml_line(minimal_site: Path, jobs: int) -> None:
    data = photo(minimal_site / "media/cut.jpg", (800, 600)).read_bytes()
    (minimal_site / "media/cut.jpg").write_bytes(data[: len(data) // 2])
    photo(minimal_site / "media/fine.jpg", (800, 600))
    use_image(minimal_site, "media/cut.jpg")
    result = check(minimal_site)
    assert result.report.problems == []  # the header is fine: only decoding finds the damage
    assert result.site is not None
    srcs = [*images.site_image_sources(result.site), "media/fine.jpg"]
    with ImageStore(minimal_site, None) as store, pytest.raises(BuildFailed) as failed:
        store.publish(srcs, minimal_site / "out", jobs=jobs)  # jobs=2: in worker processes
    (problem,) = [p.as_text() for p in failed.value.report]
    assert problem.startswith(
        WHERE + "the photo `media/cut.jpg` could not be read: it may be damaged"
    )
    assert "export it again" in problem
    assert not (minimal_site / "out").exists()  # nothing placed


# -- the HTML --------------------------------------------------------------------------------------


def test_rendered_picture_has_srcset_sizes_and_lazy_loading(minimal_site: Path) -> None:
    photo(minimal_site / "media/argan.jpg", (1600, 1200))
    photo(minimal_site / "media/rug.jpg", (900, 1200))
    use_image(minimal_site, "media/argan.jpg")
    rug = minimal_site / "products/tamount/tapis-laine.yaml"
    rug.write_text(rug.read_text(encoding="utf-8").replace("media/tamount.svg", "media/rug.jpg"))
    result = check(minimal_site)
    assert result.site is not None and result.plan is not None
    spec = next(
        s
        for s in result.plan.pages
        if s.kind == "product" and s.key == "huile-argan" and s.lang == "fr"
    )
    with ImageStore(minimal_site, None) as store:
        html = Renderer(result.site, result.plan, Theme(), images=store).render(spec)
    tree = LexborHTMLParser(html)
    main, *rest = tree.css("picture")
    source, img = main.css_first("source"), main.css_first("img")
    assert source is not None and img is not None
    assert source.attributes["type"] == "image/webp"
    assert source.attributes["srcset"].count(".webp ") == 3 and source.attributes["sizes"]
    attrs = img.attributes
    assert attrs["srcset"].count(".jpg ") == 3 and attrs["sizes"] == source.attributes["sizes"]
    assert (attrs["width"], attrs["height"]) == ("1024", "768")
    assert attrs["alt"] == "Bouteille d'huile"
    assert attrs["fetchpriority"] == "high" and "loading" not in attrs  # the main photo: first
    assert str(attrs["src"]).endswith("-640.jpg")
    (card,) = rest  # the other product of the cooperative, further down: waits
    card_img = card.css_first("img")
    assert card_img is not None and card_img.attributes["loading"] == "lazy"
    assert (card_img.attributes["width"], card_img.attributes["height"]) == ("900", "1200")
