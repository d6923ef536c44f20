"""Scorecards: YAML files validated into typed, frozen records.

A scorecard (see ``scorecards/README.md`` for the format)::

    id: etiquette
    version: "1.0"
    pass_mark: 85
    min_confidence: 0.5          # optional; words below this make a hit "review"
    min_agent_clarity: 0.4       # optional; agent speech below this: word items "review"
    clear_agent: 0.62            # optional; below this, a fail for words not heard: "review"
    companies:
      - name: 星河通信
        aliases: [星河]
    hotwords: [星河通信, 工号]     # passed to the transcriber
    sections:
      - id: opening
        title: 开场
        items:
          - id: self_intro
            type: self_intro     # the rule kind: a module of callqa.scoring.engine
            points: 15           # weight; deducted when the item fails
            critical: false      # a fail fails the whole call
            role: agent          # whose behaviour is judged (agent by default)
            description: 开场问候、报公司名称和工号
            params: {...}        # the rule kind's parameters

`load_scorecard(name_or_path)` returns a `Scorecard` or raises `ScorecardError` listing
every problem; `check_scorecard(path)` returns the problems (file, line, item id, key,
message).  A name such as ``etiquette`` is looked up as ``scorecards/<name>.yaml`` in the
repository, then under the current directory.

Versions: `Scorecard.version_key` is ``"<version>+<sha256 of the file>[:12]"``; it is
what `CallScore.scorecard_version` carries, so an edited file is a new version even when
its author forgets to bump `version`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml

from callqa.errors import ScorecardError
from callqa.records import Role
from callqa.scoring.registry import KINDS

log = logging.getLogger(__name__)

DEFAULT_MIN_CONFIDENCE = 0.5
DEFAULT_MIN_AGENT_CLARITY = 0.4
DEFAULT_CLEAR_AGENT = 0.62

# Shipped with the package (package data), so an installed wheel finds the default.
PACKAGED_SCORECARDS = Path(__file__).resolve().parents[1] / "scorecards"
ROLES: tuple[Role, ...] = ("agent", "customer")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scorecard file."""

    file: str
    line: int | None
    message: str
    item: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = []
        if self.item:
            parts.append(f"item {self.item!r}")
        if self.key:
            parts.append(f"key {self.key!r}")
        return f"{where}: {', '.join(parts) + ': ' if parts else ''}{self.message}"


class ScorecardProblems(ScorecardError):
    """A scorecard that does not validate; `problems` lists everything wrong with it."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        super().__init__(
            f"{path}: {len(problems)} problem(s) - run: callqa scorecard check {path}\n"
            + "\n".join(str(p) for p in problems)
        )
        self.problems = problems


@dataclass(frozen=True)
class Company:
    """A company name the agent should say, with the other names that count for it."""

    SHORTCUT: ClassVar[str] = "name"

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One scorecard item: a rule kind with its parameters, weight and subject."""

    id: str
    type: str
    points: float
    description: str
    params: Any
    critical: bool = False
    role: Role = "agent"
    section: str = ""
    line: int = 0


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Scorecard:
    id: str
    version: str
    pass_mark: float
    companies: tuple[Company, ...]
    hotwords: tuple[str, ...]
    sections: tuple[Section, ...]
    sha256: str
    path: str
    title: str = ""
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    min_agent_clarity: float = DEFAULT_MIN_AGENT_CLARITY
    clear_agent: float = DEFAULT_CLEAR_AGENT

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for s in self.sections for item in s.items)

    @property
    def max_score(self) -> float:
        return float(sum(item.points for item in self.items))

    @property
    def company_names(self) -> tuple[str, ...]:
        """Every company name and alias, longest first."""
        names = {n for c in self.companies for n in (c.name, *c.aliases)}
        return tuple(sorted(names, key=lambda n: (-len(n), n)))

    @property
    def version_key(self) -> str:
        """``<version>+<sha256[:12]>``: changes whenever the file does."""
        return f"{self.version}+{self.sha256[:12]}"

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


# -- public API ----------------------------------------------------------------------------


def resolve(name_or_path: str | Path) -> Path:
    """The file a scorecard name or path refers to."""
    text = str(name_or_path)
    path = Path(text)
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in text or "\\" in text:
        if not path.is_file():
            raise ScorecardError(f"{text}: no such scorecard file")
        return path
    tried = [PACKAGED_SCORECARDS / f"{text}.yaml", Path.cwd() / "scorecards" / f"{text}.yaml"]
    for candidate in tried:
        if candidate.is_file():
            return candidate
    raise ScorecardError(
        f"scorecard {text!r} not found (looked for {', '.join(map(str, tried))}) - "
        "pass a YAML file, e.g. --scorecard scorecards/etiquette.yaml"
    )


def check_scorecard(path: str | Path) -> list[Problem]:
    """Every problem of the scorecard file at `path` (empty when it is valid)."""
    return _parse(Path(path))[1]


def load_scorecard(name_or_path: str | Path) -> Scorecard:
    """The validated scorecard; `ScorecardError` lists every problem otherwise."""
    path = resolve(name_or_path)
    card, problems = _parse(path)
    if problems or card is None:
        raise ScorecardProblems(path, problems)
    log.debug("scorecard %s %s: %d items", card.id, card.version_key, len(card.items))
    return card


# -- YAML with line numbers ----------------------------------------------------------------


class _Map(dict[Any, Any]):
    line: int = 0
    key_lines: dict[Any, int]


class _Seq(list[Any]):
    line: int = 0
    item_lines: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.item_lines = []


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


MAX_BYTES = 256 * 1024
"""Largest scorecard file read (the default one is about 8 KB)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings."""
MAX_ALIASES = 500
"""Most `*alias` references in one file."""
MAX_NODES = 10_000
"""Most values once every alias is expanded (the default scorecard has about 400; a
billion-laughs file stops here)."""


class _LimitExceeded(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _LimitedLoader(yaml.SafeLoader):
    """A SafeLoader that counts, while composing, depth, aliases and expanded values, and
    refuses recursive aliases, so a hostile file stops early with the limit it broke."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._total = 0
        self._open: set[str] = set()
        self._size: dict[int, int] = {}

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # the scanner looks ahead through nested [[[... before composing anything
        self._check_depth(self.flow_level)
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        self._check_depth(len(self.indents))
        return bool(super().add_indent(column))

    def _check_depth(self, depth: int) -> None:
        if depth >= MAX_DEPTH:
            raise _LimitExceeded(
                self.line + 1, f"nested deeper than {MAX_DEPTH} levels (MAX_DEPTH)"
            )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = int(event.start_mark.line) + 1
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _LimitExceeded(line, f"more than {MAX_ALIASES} aliases (MAX_ALIASES)")
            if event.anchor in self._open:
                raise _LimitExceeded(line, f"recursive alias *{event.anchor} (refers to itself)")
            node = super().compose_node(parent, index)
            self._count(line, self._size.get(id(node), 1))
            return node
        self._depth += 1
        self._check_depth(self._depth - 1)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open.add(anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open.discard(anchor or "")
        self._count(line, 1)
        children: list[Any] = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        self._size[id(node)] = 1 + sum(self._size.get(id(c), 1) for c in children)
        return node

    def _count(self, line: int, size: int) -> None:
        self._total += size
        if self._total > MAX_NODES:
            raise _LimitExceeded(
                line, f"more than {MAX_NODES} values with aliases expanded (MAX_NODES)"
            )


class _Reader:
    """Turns YAML text into _Map/_Seq/scalars, recording problems with lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(
        self, line: int | None, message: str, *, item: str | None = None, key: str | None = None
    ) -> None:
        self.problems.append(Problem(self.file, line, message, item, key))

    def read(self, text: str) -> Any:
        loader = _LimitedLoader(text)
        try:
            node = loader.get_single_node()
            return None if node is None else self._build(loader, node)
        except _LimitExceeded as exc:
            raise ScorecardError(f"{self.file}:{exc.line}: {exc} - is it a scorecard?") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = str(exc.problem or exc.context or "invalid YAML")
            if exc.context and exc.problem and exc.context_mark is not None:
                what += f" ({exc.context}, started on line {exc.context_mark.line + 1})"
            self.problem(line, f"YAML syntax error: {what}")
        except yaml.YAMLError as exc:
            self.problem(None, f"YAML error: {exc}")
        finally:
            loader.dispose()
        return None

    def _build(self, loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            m = _Map()
            m.line, m.key_lines = _line(node), {}
            for k_node, v_node in node.value:
                key = loader.construct_object(k_node, deep=True)
                if not isinstance(key, str | int | float | bool):
                    self.problem(_line(k_node), "a mapping key must be plain text")
                    continue
                if key in m:
                    self.problem(
                        _line(k_node),
                        f"duplicate key (first on line {m.key_lines[key]})",
                        key=str(key),
                    )
                    continue
                m[key] = self._build(loader, v_node)
                m.key_lines[key] = _line(k_node)
            return m
        if isinstance(node, yaml.SequenceNode):
            s = _Seq()
            s.line, s.item_lines = _line(node), []
            for child in node.value:
                s.append(self._build(loader, child))
                s.item_lines.append(_line(child))
            return s
        return loader.construct_object(node, deep=True)


# -- typed conversion ----------------------------------------------------------------------

_NONE = object()


def _describe(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is float:
        return "a number"
    if tp is int:
        return "a whole number"
    if tp is bool:
        return "true or false"
    if tp is str:
        return "text"
    if origin is Literal:
        return "one of " + ", ".join(map(str, typing.get_args(tp)))
    if origin is tuple:
        return "a list of " + _plural(typing.get_args(tp)[0])
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        shortcut = getattr(tp, "SHORTCUT", None)
        name = tp.__name__.lower()
        return f"a {name} (text or a mapping)" if shortcut else f"a {name} mapping"
    return str(tp)


def _plural(tp: Any) -> str:
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return tp.__name__.lower() + "s"
    return {float: "numbers", int: "whole numbers", str: "texts", bool: "true/false"}.get(
        tp, _describe(tp).removeprefix("a ") + "s"
    )


def _shown(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


class _Converter:
    """Builds typed values (params dataclasses) from YAML data, reporting problems."""

    def __init__(self, reader: _Reader, item: str | None) -> None:
        self.reader = reader
        self.item = item

    def bad(self, line: int | None, key: str, message: str) -> None:
        self.reader.problem(line, message, item=self.item, key=key)

    def value(self, data: Any, tp: Any, key: str, line: int | None) -> Any:
        origin = typing.get_origin(tp)
        wrong = f"expected {_describe(tp)}, got {_shown(data)}"
        if tp is float:
            if isinstance(data, int | float) and not isinstance(data, bool):
                return float(data)
        elif tp is int:
            if isinstance(data, int) and not isinstance(data, bool):
                return data
        elif tp is bool or tp is str:
            if isinstance(data, tp):
                return data
        elif origin is Literal:
            if data in typing.get_args(tp):
                return data
        elif origin is tuple:
            if isinstance(data, list):
                lines = getattr(data, "item_lines", [line] * len(data))
                elem = typing.get_args(tp)[0]
                out = [self.value(d, elem, key, ln) for d, ln in zip(data, lines, strict=True)]
                return _NONE if any(v is _NONE for v in out) else tuple(out)
        elif dataclasses.is_dataclass(tp) and isinstance(tp, type):
            shortcut = getattr(tp, "SHORTCUT", None)
            if shortcut and isinstance(data, str):
                data = {shortcut: data}
            if isinstance(data, Mapping):
                return self.dataclass(tp, data, key_prefix=f"{key}.", line=line)
        self.bad(line, key, wrong)
        return _NONE

    def dataclass(
        self, cls: type[Any], data: Mapping[Any, Any], *, key_prefix: str = "", line: int | None
    ) -> Any:
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
        lines = getattr(data, "key_lines", {})
        kwargs: dict[str, Any] = {}
        ok = True
        for key, raw in data.items():
            where = lines.get(key, line)
            if key not in fields:
                known = ", ".join(fields) or "none"
                self.bad(where, f"{key_prefix}{key}", f"unknown parameter (known: {known})")
                ok = False
                continue
            v = self.value(raw, hints[key], f"{key_prefix}{key}", where)
            ok = ok and v is not _NONE
            kwargs[key] = v
        for name, f in fields.items():
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and name not in data:
                self.bad(line, f"{key_prefix}{name}", f"missing ({_describe(hints[name])})")
                ok = False
        if not ok:
            return _NONE
        obj = cls(**kwargs)
        check = getattr(obj, "problems", None)
        for key, message in check() if check else []:
            # Reported here; the value is still returned so the enclosing record can be
            # checked too (a scorecard with any problem never loads).
            self.bad(lines.get(key.split(":")[0], line), f"{key_prefix}{key}", message)
        return obj


# -- the scorecard structure ---------------------------------------------------------------

_TOP: dict[str, tuple[Any, bool]] = {
    "id": (str, True),
    "version": (str, True),
    "title": (str, False),
    "pass_mark": (float, True),
    "min_confidence": (float, False),
    "min_agent_clarity": (float, False),
    "clear_agent": (float, False),
    "companies": (list, True),
    "hotwords": (tuple[str, ...], False),
    "sections": (list, True),
}
_ITEM: dict[str, tuple[Any, bool]] = {
    "id": (str, True),
    "type": (str, True),
    "points": (float, True),
    "description": (str, True),
    "critical": (bool, False),
    "role": (Literal["agent", "customer"], False),
    "params": (Mapping, False),
}
_SECTION: dict[str, tuple[Any, bool]] = {
    "id": (str, True),
    "title": (str, False),
    "items": (list, True),
}


def _fields(
    reader: _Reader,
    data: Any,
    spec: dict[str, tuple[Any, bool]],
    *,
    what: str,
    line: int | None,
    item: str | None = None,
) -> dict[str, Any] | None:
    """Checks a mapping's keys and scalar types against `spec`; the good values."""
    if not isinstance(data, Mapping):
        reader.problem(line, f"{what} must be a mapping, got {_shown(data)}", item=item)
        return None
    lines = getattr(data, "key_lines", {})
    conv = _Converter(reader, item)
    out: dict[str, Any] = {}
    for key, raw in data.items():
        where = lines.get(key, line)
        if key not in spec:
            reader.problem(
                where, f"unknown key in {what} (known: {', '.join(spec)})", item=item, key=str(key)
            )
            continue
        tp = spec[key][0]
        if key == "version" and isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw)
        if tp is list or tp is Mapping:
            ok = isinstance(raw, list if tp is list else Mapping)
            if not ok:
                kind = "a list" if tp is list else "a mapping"
                reader.problem(where, f"expected {kind}, got {_shown(raw)}", item=item, key=key)
                continue
            out[key] = raw
            continue
        v = conv.value(raw, tp, key, where)
        if v is not _NONE:
            out[key] = v
    for key, (_tp, required) in spec.items():
        if required and key not in data:
            reader.problem(line, f"missing required key in {what}", item=item, key=key)
    return out


def _companies(reader: _Reader, data: list[Any]) -> tuple[Company, ...]:
    conv = _Converter(reader, None)
    out = []
    for raw, line in zip(data, getattr(data, "item_lines", []), strict=False):
        c = conv.value(raw, Company, "companies", line)
        if isinstance(c, Company):
            out.append(c)
    return tuple(out)


def _item(reader: _Reader, raw: Any, line: int, section: str) -> Item | None:
    item_id = raw.get("id") if isinstance(raw, Mapping) else None
    label = item_id if isinstance(item_id, str) else None
    got = _fields(reader, raw, _ITEM, what="item", line=line, item=label)
    if got is None:
        return None
    if label is not None and not _ID.match(label):
        reader.problem(
            raw.key_lines.get("id", line),
            "item id must be lower-case letters, digits and _ (starting with a letter)",
            item=label,
            key="id",
        )
    if "points" in got and got["points"] <= 0:
        reader.problem(
            raw.key_lines.get("points", line), "must be more than 0", item=label, key="points"
        )
        got.pop("points")

    kind_name = got.get("type")
    kind = KINDS.get(kind_name) if kind_name else None
    if kind_name is not None and kind is None:
        reader.problem(
            raw.key_lines.get("type", line),
            f"unknown rule type {kind_name!r} (known: {', '.join(KINDS)})",
            item=label,
            key="type",
        )
    params: Any = _NONE
    if kind is not None:
        data = got.get("params", {})
        params = _Converter(reader, label).dataclass(
            kind.params, data, line=getattr(data, "line", raw.key_lines.get("type", line))
        )
    needed = ("id", "type", "points", "description")
    if params is _NONE or any(k not in got for k in needed):
        return None
    return Item(
        id=got["id"],
        type=got["type"],
        points=got["points"],
        description=got["description"],
        params=params,
        critical=got.get("critical", False),
        role=got.get("role", "agent"),
        section=section,
        line=line,
    )


def _parse(path: Path) -> tuple[Scorecard | None, list[Problem]]:
    reader = _Reader(str(path))
    try:
        with path.open("rb") as f:
            raw_bytes = f.read(MAX_BYTES + 1)
    except OSError as exc:
        reader.problem(None, f"cannot read: {exc.strerror or exc}")
        return None, reader.problems
    if len(raw_bytes) > MAX_BYTES:
        raise ScorecardError(
            f"{path}: larger than {MAX_BYTES // 1024} KiB (MAX_BYTES) - is it a scorecard?"
        )
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        reader.problem(None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None, reader.problems
    data = reader.read(text)
    if data is None:
        if not reader.problems:
            reader.problem(1, "the file is empty")
        return None, reader.problems
    top = _fields(reader, data, _TOP, what="scorecard", line=1)
    if top is None:
        return None, reader.problems
    companies = _companies(reader, top.get("companies", _Seq()))
    sections: list[Section] = []
    seen_items: dict[str, int] = {}
    seen_sections: dict[str, int] = {}
    raw_sections = top.get("sections", _Seq())
    for raw_s, s_line in zip(raw_sections, raw_sections.item_lines, strict=True):
        got = _fields(reader, raw_s, _SECTION, what="section", line=s_line)
        if got is None:
            continue
        sid = got.get("id", "")
        if sid in seen_sections:
            reader.problem(
                s_line, f"duplicate section id {sid!r} (first on line {seen_sections[sid]})"
            )
        seen_sections[sid] = s_line
        items: list[Item] = []
        raw_items = got.get("items", _Seq())
        for raw_i, i_line in zip(raw_items, raw_items.item_lines, strict=True):
            item_id = raw_i.get("id") if isinstance(raw_i, Mapping) else None
            if isinstance(item_id, str):
                if item_id in seen_items:
                    reader.problem(
                        raw_i.key_lines.get("id", i_line),
                        f"duplicate item id (first on line {seen_items[item_id]})",
                        item=item_id,
                        key="id",
                    )
                else:
                    seen_items[item_id] = raw_i.key_lines.get("id", i_line)
            item = _item(reader, raw_i, i_line, sid)
            if item is not None:
                items.append(item)
        sections.append(Section(sid, got.get("title", ""), tuple(items)))
    card_items = [i for s in sections for i in s.items]
    _check_card(reader, top, data, card_items, companies)
    if reader.problems:
        return None, reader.problems
    card = Scorecard(
        id=top["id"],
        version=top["version"],
        pass_mark=top["pass_mark"],
        companies=companies,
        hotwords=top.get("hotwords", ()),
        sections=tuple(sections),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        path=str(path),
        title=top.get("title", ""),
        min_confidence=top.get("min_confidence", DEFAULT_MIN_CONFIDENCE),
        min_agent_clarity=top.get("min_agent_clarity", DEFAULT_MIN_AGENT_CLARITY),
        clear_agent=top.get("clear_agent", DEFAULT_CLEAR_AGENT),
    )
    return card, []


def _check_card(
    reader: _Reader,
    top: dict[str, Any],
    data: Any,
    items: list[Item],
    companies: tuple[Company, ...],
) -> None:
    lines = data.key_lines
    if "sections" in top and not items and not reader.problems:
        reader.problem(lines.get("sections"), "the scorecard has no items", key="sections")
    total = sum(i.points for i in items)
    mark = top.get("pass_mark")
    if mark is not None and items and not 0 <= mark <= total:
        reader.problem(
            lines.get("pass_mark"),
            f"must be between 0 and the sum of the items' points ({total:g})",
            key="pass_mark",
        )
    for key in ("min_confidence", "min_agent_clarity", "clear_agent"):
        conf = top.get(key)
        if conf is not None and not 0 <= conf <= 1:
            reader.problem(lines.get(key), "must be between 0 and 1", key=key)
