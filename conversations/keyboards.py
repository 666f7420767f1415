"""How a question looks in the chat: its text with "Question 3 of 9", and its buttons -
choices, pages of places, the places that match what was typed, Skip and Back. Pure: it
reads the session, changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from conversations import buttons, place_questions
from conversations.i18n import Texts
from conversations.messages import Button, Keyboard
from conversations.place_questions import PlaceOption
from conversations.state import SessionState
from conversations.survey import PLACE_KINDS, Question, Survey

PLACES_PER_PAGE = 20
PLACE_COLUMNS = 2  # place names run to 16 letters: two fit side by side on a phone

Rows = list[tuple[Button, ...]]


@dataclass(frozen=True)
class QuestionView:
    """The questions of one session as the respondent sees them, in their language."""

    t: Texts
    survey: Survey
    session: SessionState
    fixed: frozenset[str]  # answered for the citizen (conversation.fixed_questions): not counted

    def render(self, question: Question) -> tuple[str, Keyboard]:
        header = self.t._("Question {number} of {total}").format(
            number=self.t.number(self.position(question)),
            total=self.t.number(self.total_questions()))
        text = f"{header}\n{self.t._(question.text_for(self.session.answers))}"
        if question.kind in PLACE_KINDS:
            return text, self.place_keyboard(question, 0)
        if question.kind == "choices":
            return text, (*self.choice_rows(question), *self.done_rows(question),
                          *self.skip_and_back_rows(question))
        rows = self.choice_rows(question) if question.kind == "choice" else []
        return text, (*rows, *self.skip_and_back_rows(question))

    def position(self, question: Question) -> int:
        """How many questions the citizen has been asked, this one included."""
        path = self.survey.path(self.session.answers, self.fixed)
        return next(i for i, q in enumerate(path, 1) if q.id == question.id)

    def total_questions(self) -> int:
        """The longest path from the start, not this citizen's path so far: an answer that
        adds questions (nüfus adds two) would otherwise change the total mid-survey."""
        presets = {qid: value for qid, value in self.session.answers.items()
                   if qid in self.fixed}
        return self.survey.longest_path(presets, self.fixed)

    def choice_rows(self, question: Question) -> Rows:
        picked = question.picked(self.session.answers.get(question.id))
        labels = [
            (("✓ " if c.value in picked else "") + self.t._(c.label), c.value)
            for c in question.choices
        ]
        return _grid([Button(label, self.tap(buttons.ANSWER, value)) for label, value in labels],
                     question.columns)

    def place_keyboard(self, question: Question, page: int) -> Keyboard:
        everything = place_questions.options(question, self.session.answers, self.t.locale)
        pages = max(1, (len(everything) + PLACES_PER_PAGE - 1) // PLACES_PER_PAGE)
        page = max(0, min(page, pages - 1))
        shown = everything[page * PLACES_PER_PAGE:(page + 1) * PLACES_PER_PAGE]
        rows = self.place_rows(question, shown)
        if pages > 1:
            nav = []
            if page > 0:
                nav.append(Button("◀", self.tap(buttons.PAGE, str(page - 1))))
            nav.append(Button(f"{page + 1}/{pages}", self.tap(buttons.PAGE, str(page))))
            if page < pages - 1:
                nav.append(Button("▶", self.tap(buttons.PAGE, str(page + 1))))
            rows.append(tuple(nav))
        return (*rows, *self.skip_and_back_rows(question))

    def candidates_keyboard(self, question: Question, found: tuple[PlaceOption, ...]) -> Keyboard:
        if question.kind == "province":
            # button
            show_all = self.t._("Show all provinces")
        else:
            # button
            show_all = self.t._("Show all districts")
        rows = self.place_rows(question, found)
        rows.append((Button(show_all, self.tap(buttons.PAGE, "0")),))
        return (*rows, *self.skip_and_back_rows(question))

    def place_rows(self, question: Question, places: tuple[PlaceOption, ...]) -> Rows:
        previous = self.session.answers.get(question.id)
        return _grid([
            Button(("✓ " if p.value == previous else "") + p.label,
                   self.tap(buttons.ANSWER, p.value))
            for p in places
        ], PLACE_COLUMNS)

    def done_rows(self, question: Question) -> Rows:
        """Under the choices of a "choices" question: Done, once something is picked (an
        optional one is left with Skip instead)."""
        if not question.picked(self.session.answers.get(question.id)):
            return []
        # button
        return [(Button(self.t._("Done ✓"), self.tap(buttons.DONE)),)]

    def skip_and_back_rows(self, question: Question) -> Rows:
        rows: Rows = []
        if question.optional:
            # button
            rows.append((Button(self.t._("Skip"), self.tap(buttons.SKIP)),))
        if self.survey.previous_before(question.id, self.session.answers,
                                       self.fixed) is not None:
            # button
            rows.append((Button(self.t._("« Back"), self.tap(buttons.BACK)),))
        return rows

    def tap(self, kind: str, arg: str = "") -> str:
        """A button's data: its kind, and the session and turn it belongs to."""
        return buttons.encode(kind, self.session.id, self.session.turn, arg)


def _grid(cells: list[Button], columns: int) -> Rows:
    return [tuple(cells[i:i + columns]) for i in range(0, len(cells), columns)]
