"""Scanned pages and images → text, by OCR (rapidocr on onnxruntime), offline.

The PP-OCR models ship inside the ``rapidocr`` wheel (``rapidocr/models``); they are
named explicitly, so rapidocr never looks for (or downloads) anything else.  A page
image is straightened (the skew of its long ruling lines), its rulings are found with
OpenCV, and the characters OCR reads, with their boxes, go to the same grid builder
as a PDF's text layer (``grid.page_text``).  OCR misreads digits silently, so what it
reads is only text: ``ocr_trust`` keeps a number only where the table's arithmetic
confirms it.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from ..errors import UnreadableFile
from .grid import Piece, Segment, join_chars, page_text

# Pages of a scanned PDF are rendered at this resolution for OCR.
RENDER_DPI = 200
# Larger images are scaled down first: OCR time grows with the pixels, the text does not need them.
MAX_SIDE_PIXELS = 3000
MAX_IMAGE_PIXELS = 80_000_000
MAX_IMAGE_PAGES = 50
MODEL_FILES = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
               "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


def models_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).parent / "models"


@cache
def engine():
    """The OCR engine, made once per process (loading the models takes seconds)."""
    try:
        from rapidocr import RapidOCR
    except ImportError:
        raise UnreadableFile("读取扫描件需要文字识别组件 rapidocr 和 onnxruntime（pip install rapidocr onnxruntime）") \
            from None
    folder = models_dir()
    # Text lines of a report page are found as well on a page scaled to 1600 pixels as on
    # the full render, at a quarter of the detection time; recognition still sees full pixels.
    params = {"Global.log_level": "error", "Global.use_cls": False,
              "Det.limit_type": "max", "Det.limit_side_len": 1600}
    for task, name in MODEL_FILES.items():
        path = folder / name
        if not path.is_file():
            raise UnreadableFile(f"文字识别模型文件缺失：{path}（请重新安装 rapidocr）")
        params[f"{task}.model_path"] = str(path)
    import logging

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params=params)


def ocr_image(image) -> str:
    """One page image (a Pillow image) → its text, tables rebuilt from the boxes' geometry."""
    import numpy as np

    gray = np.asarray(_bounded(image).convert("L"))
    gray = _straighten(gray)
    segments = _rulings(gray)
    rgb = np.ascontiguousarray(np.stack([gray] * 3, axis=-1))
    result = engine()(rgb, return_word_box=True)
    return page_text(_pieces(result), segments)


def read_pdf_page(document, index: int) -> str:
    page = document[index]
    try:
        image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
    finally:
        page.close()
    return ocr_image(image)


def read_image(data: bytes):
    """A PNG, JPEG or TIFF (every frame of a multi-page TIFF) → ``ReadPages`` of its OCR'd text."""
    from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

    from .pdf_read import ReadPages

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    # rapidocr lets Pillow load truncated images; a cut-off upload is refused here instead
    truncated_allowed, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        picture = Image.open(io.BytesIO(data))
        frames = getattr(picture, "n_frames", 1)
        if frames > MAX_IMAGE_PAGES:
            raise UnreadableFile(f"图片页数过多（{frames} 页），上限为 {MAX_IMAGE_PAGES} 页")
        result = ReadPages([])
        for frame in range(frames):
            picture.seek(frame)
            picture.load()
            result.pages.append(ocr_image(ImageOps.exif_transpose(picture.copy())))
            result.ocr_pages.append(frame + 1)
    except UnreadableFile:
        raise
    except Image.DecompressionBombError:
        raise UnreadableFile(f"图片像素过多，上限为 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素") from None
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as error:
        raise UnreadableFile(f"图片文件已损坏，无法读取：{type(error).__name__}") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_allowed
    if not any(text.strip() for text in result.pages):
        raise UnreadableFile("图片中没有识别出文字，不是年度报告")
    return result


def _bounded(image):
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    longest = max(image.size)
    if longest > MAX_SIDE_PIXELS:
        scale = MAX_SIDE_PIXELS / longest
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    return image


def _binary(gray, floor: int = 170):
    """Ink as 255: Otsu's threshold, but never below ``floor``, so that thin grey lines stay."""
    import cv2

    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, binary = cv2.threshold(gray, max(threshold, floor), 255, cv2.THRESH_BINARY_INV)
    return binary


def _rotate(image, angle: float, fill: int):
    import cv2

    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=fill)


def _straighten(gray, limit: float = 2.0):
    """Rotate the page level: the angle (within ``limit`` degrees) at which the rows of
    ink line up best — the row profile of text and rulings is sharpest when level."""
    import cv2
    import numpy as np

    height, width = gray.shape
    scale = min(1.0, 800 / width)
    small = cv2.resize(_binary(gray), (max(1, int(width * scale)), max(1, int(height * scale))),
                       interpolation=cv2.INTER_AREA).astype(np.float32)

    def sharpness(angle):
        return float(np.var(_rotate(small, angle, 0).sum(axis=1)))

    best = max(np.arange(-limit, limit + 0.01, 0.25), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.21, 0.05), key=sharpness)
    if abs(best) < 0.05:
        return gray
    return _rotate(gray, float(best), 255)


def _rulings(gray) -> list[Segment]:
    """Ruling lines of the page image: long thin runs of dark pixels, found by morphology
    (a speck or a character is far shorter than the kernels)."""
    import cv2

    height, width = gray.shape
    # a hairline border renders light grey; specks and JPEG noise are short, so the
    # long kernels below keep only lines however light the threshold
    binary = _binary(gray, floor=235)
    segments: list[Segment] = []
    for horizontal in (True, False):
        length = max(width // 30, 20) if horizontal else max(height // 50, 20)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        lines = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
        # close the small gaps a faint scan leaves in a line
        lines = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for label in range(1, count):
            x, y, w, h, _area = stats[label]
            if horizontal and w >= length and h <= max(12, w // 20):
                segments.append(Segment(float(x), y + h / 2, float(x + w), y + h / 2))
            elif not horizontal and h >= length and w <= max(12, h // 20):
                segments.append(Segment(x + w / 2, float(y), x + w / 2, float(y + h)))
    return segments


def _pieces(result) -> list[Piece]:
    """OCR text boxes as words with their characters (rapidocr's word boxes)."""
    pieces: list[Piece] = []
    boxes = result.boxes if result.boxes is not None else []
    words = result.word_results or ()
    for index, (box, text) in enumerate(zip(boxes, result.txts or (), strict=False)):
        chars = []
        if index < len(words):
            for item in words[index]:
                char_text, _score, points = item[0], item[1], item[2]
                xs = [p[0] for p in points]
                ys = [p[1] for p in points]
                if char_text and char_text.strip():
                    chars.append((char_text.strip(), float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys))))
        if chars:
            pieces.extend(join_chars(chars))
        elif text and text.strip():
            xs = [p[0] for p in box]
            ys = [p[1] for p in box]
            pieces.append(Piece(text.strip(), float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys))))
    return pieces
