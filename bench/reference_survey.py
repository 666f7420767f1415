"""Reference 2: the "textbook" survey bot, as PTB's examples (conversationbot.py,
inlinekeyboard2.py, persistentconversationbot.py) teach it.

    IZDES_BOT_TOKEN=... IZDES_BOT_API_URL=http://127.0.0.1:PORT python -m bench.reference_survey

A ConversationHandler with one state per question, answers as inline buttons handled by
CallbackQueryHandler (query.answer(), edit the question to show the answer, send the next
question), answers in context.user_data, PicklePersistence (written every 60 s by default,
so answers are not durable when the reply is sent), run_polling with its defaults. Same number
of taps as İZDES: consent, then 14 questions.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    PicklePersistence,
)
from telegram.warnings import PTBUserWarning

AGREE = "✅ Onaylıyorum"
AGREE_SCALE = ["Kesinlikle katılıyorum", "Katılıyorum", "Kararsızım", "Katılmıyorum",
               "Kesinlikle katılmıyorum", "Bilmiyorum / Uygulanamaz"]
# (key, question, answers): what İZDES asks, with every answer as a button.
QUESTIONS: list[tuple[str, str, list[str]]] = [
    ("service", "Hangi hizmeti değerlendirmek istersiniz?",
     ["Emniyet (polis)", "Asayiş / Jandarma", "Trafik", "112 Acil Çağrı", "Nüfus", "Göç İdaresi"]),
    ("recency", "Bu hizmeti en son ne zaman kullandınız?",
     ["Son 7 gün içinde", "Son 30 gün içinde"]),
    ("channel", "Hizmeti nasıl aldınız?", ["Yüz yüze", "Telefonla", "İnternetten"]),
    ("province", "Hizmeti hangi ilde aldınız?",
     ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Adana", "Diğer"]),
    ("district", "Hangi ilçede?", ["Merkez", "Diğer", "Geç"]),
    ("purpose", "Başvurunuzun konusu neydi?",
     ["Kaza tespit işlemi", "Ehliyet / ruhsat", "Trafik cezası", "Diğer"]),
    ("overall", "Aldığınız hizmetten genel olarak ne kadar memnunsunuz?",
     ["Çok memnunum", "Memnunum", "Ne memnunum ne değilim", "Memnun değilim",
      "Hiç memnun değilim"]),
    ("timeliness", "İşlemim makul sürede tamamlandı.", AGREE_SCALE),
    ("knowledge", "Personel konusunda bilgiliydi.", AGREE_SCALE),
    ("courtesy", "Personel nazik ve saygılıydı.", AGREE_SCALE),
    ("fairness", "Bana adil davranıldı.", AGREE_SCALE),
    ("outcome", "İşimi çözdüm.", AGREE_SCALE),
    ("effort", "İşinizi halletmek ne kadar kolaydı? (1 çok zor, 7 çok kolay)",
     [str(n) for n in range(1, 8)]),
    ("comment", "Hizmeti nasıl iyileştirebiliriz?", ["Geç"]),
]
CONSENT = len(QUESTIONS)  # the state before the first question


def keyboard(answers: list[str]) -> InlineKeyboardMarkup:
    rows = [answers[i:i + 2] for i in range(0, len(answers), 2)]
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label) for label in row] for row in rows]
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.clear()
    await update.message.reply_text(
        "Merhaba! Bu anket yaklaşık iki dakika sürer. Yanıtlarınız kaydedilecektir.",
        reply_markup=keyboard([AGREE, "Hayır, teşekkürler"]),
    )
    return CONSENT


async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(f"{query.message.text}\n✅ {query.data}")
    if query.data != AGREE:
        return ConversationHandler.END
    await ask(update, 0)
    return 0


async def ask(update: Update, number: int) -> None:
    _, text, answers = QUESTIONS[number]
    await update.effective_chat.send_message(
        f"Soru {number + 1}/{len(QUESTIONS)}\n{text}", reply_markup=keyboard(answers)
    )


def answer_handler(number: int):
    """The callback of question `number`: store, show the choice, ask the next question."""

    async def on_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        key, _, _ = QUESTIONS[number]
        context.user_data[key] = query.data
        await query.edit_message_text(f"{query.message.text}\n✅ {query.data}")
        if number + 1 < len(QUESTIONS):
            await ask(update, number + 1)
            return number + 1
        await update.effective_chat.send_message("Teşekkür ederiz! Yanıtlarınız kaydedildi.")
        return ConversationHandler.END

    return on_answer


def main() -> None:
    root = os.environ["IZDES_BOT_API_URL"].rstrip("/")
    state_file = Path(os.environ.get("BENCH_PICKLE_FILE")
                      or Path(tempfile.gettempdir()) / f"textbook_survey_{os.getpid()}.pickle")
    application = (
        Application.builder()
        .token(os.environ["IZDES_BOT_TOKEN"])
        .base_url(f"{root}/bot")
        .persistence(PicklePersistence(filepath=state_file))
        .build()
    )
    # PTB warns that with per_message=False a CallbackQueryHandler is tracked per chat, not
    # per message: that is exactly how the examples use it.
    warnings.filterwarnings("ignore", category=PTBUserWarning)
    states = {number: [CallbackQueryHandler(answer_handler(number))]
              for number in range(len(QUESTIONS))}
    states[CONSENT] = [CallbackQueryHandler(consent)]
    application.add_handler(ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states=states,
        fallbacks=[CommandHandler("start", start)],
        name="survey",
        persistent=True,
    ))
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        state_file.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
