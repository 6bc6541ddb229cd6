"""Bytes to text: UTF-8 (with or without a BOM), UTF-16 with a BOM, CP932/Shift_JIS and EUC-JP,
and as a last resort what charset-normalizer reads confidently."""

from __future__ import annotations

__all__ = ["DecodeError", "decode_bytes"]

# Order matters: UTF-8 is strict and self-validating, so it is tried first; CP932 and EUC-JP
# both accept many byte strings, so the one that reads as more natural Japanese wins.
_JAPANESE_LEGACY = ("cp932", "euc_jp")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


def _naturalness(text: str) -> float:
    """Share of hiragana and common kanji: mojibake from the wrong legacy codec is mostly
    half-width katakana, rare kanji and symbols."""
    if not text:
        return 0.0
    good = sum(1 for c in text if "\u3041" <= c <= "\u309f" or "\u4e00" <= c <= "\u9fff" or c.isascii())
    return good / len(text)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 (BOM stripped), CP932/Shift_JIS and EUC-JP are
    detected; anything else that charset-normalizer reads confidently is accepted too."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise DecodeError(f"starts with a UTF-8 BOM but is not UTF-8 ({error.reason} at byte {error.start})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise DecodeError(f"starts with a UTF-16 BOM but is not UTF-16 ({error.reason})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in _JAPANESE_LEGACY:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_naturalness(text), -_JAPANESE_LEGACY.index(encoding), text, encoding))
    if candidates:
        _, _, text, encoding = max(candidates)
        return text, encoding
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.chaos < 0.2 and best.encoding not in ("ascii",):
        return str(best), best.encoding
    raise DecodeError("not UTF-8, CP932 or EUC-JP, and no other encoding fits")
