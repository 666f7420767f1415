"""The demo's comments: short, as people write them in a phone's comment box; in Turkish,
and in Arabic and English from those who read the survey in those languages. No names, no
numbers: the scrubber that cleans real comments finds nothing in them (tests/test_demo.py).
"""

from __future__ import annotations

import random

TONES = ("positive", "neutral", "negative")

GENERAL = {
    "positive": ("Çok ilgiliydiler, teşekkür ederim.", "Hızlı ve güler yüzlü hizmet.",
                 "Beklediğimden kolay oldu.", "Personel çok yardımcı oldu.",
                 "İşim kısa sürede halloldu.", "Her şey açık ve anlaşılırdı.",
                 "Memnun kaldım, emeği geçenlere teşekkürler."),
    "neutral": ("Fena değildi ama biraz bekledim.",
                "İşim oldu, yönlendirme daha iyi olabilirdi.",
                "Bilgilendirme yetersizdi ama sonuç olumlu.", "Ortalama bir hizmet.",
                "Sıra sistemi karışıktı.", "Binada otopark sorunu var."),
    "negative": ("Çok uzun süre bekledim.", "Kimse doğru bilgi vermedi.",
                 "Telefonla ulaşmak neredeyse imkansız.", "Personel ilgisizdi.",
                 "Aynı iş için üç kez gitmem gerekti.",
                 "Açıklama yapılmadan işlemim reddedildi."),
}

BY_SERVICE = {
    "nufus": {"positive": ("Randevu saatinde hemen alındım.", "Kartım bir haftada geldi."),
              "neutral": ("e-Devlet randevusu kolaydı ama gişede bekledim.",),
              "negative": ("Randevu bulmak için haftalarca bekledim.",
                           "Pasaport için gişe önünde iki saat bekledim.")},
    "trafik": {"positive": ("Kaza tespitine ekip hemen geldi.", "Ekip çok nazikti."),
               "neutral": ("Yol kontrolü uzun sürdü ama sorun olmadı.",),
               "negative": ("Kaza yerine ekip bir saatte geldi.",
                            "Cezanın nedeni açıklanmadı.")},
    "emniyet": {"positive": ("Şikayetimi dikkatle dinlediler.",
                             "Karakolda hızlıca ifademi aldılar."),
                "neutral": ("İşlem tamam ama çok evrak istendi.",),
                "negative": ("Şikayetim ciddiye alınmadı.",
                             "Dosyamın ne durumda olduğunu öğrenemiyorum.")},
    "jandarma": {"positive": ("Köyümüze çok çabuk geldiler.", "Ekip çok saygılıydı."),
                 "neutral": ("Yardımcı oldular ama sonra dönüş yapılmadı.",),
                 "negative": ("Karakol çok uzakta, ulaşım zor.",)},
    "acil112": {"positive": ("Ambulans birkaç dakikada geldi.",
                             "Çağrıyı karşılayan kişi çok sakindi, iyi yönlendirdi."),
                "neutral": ("Ekip geldi ama adresi bulmakta zorlandı.",),
                "negative": ("Ambulans çok geç geldi.", "Hat uzun süre meşguldü.")},
    "goc": {"positive": ("İkamet izni işlemim sorunsuz bitti.",
                         "Tercüman desteği çok işime yaradı."),
            "neutral": ("İşlem uzun sürdü ama sonunda tamamlandı.",),
            "negative": ("Randevu sistemi sürekli hata veriyor.",
                         "Başvurumun sonucunu aylardır bekliyorum.")},
}

ARABIC = {
    "positive": ("شكراً، كانت المعاملة سريعة.", "الموظفون كانوا محترمين جداً.",
                 "وجود مترجم ساعدني كثيراً."),
    "neutral": ("الانتظار كان طويلاً بعض الشيء.", "المعاملة تمت لكن المعلومات لم تكن واضحة."),
    "negative": ("انتظرت أكثر من ساعتين.", "لا يوجد مترجم عربي في المكتب.",
                 "لم يشرح لي أحد سبب الرفض."),
}
ENGLISH = {
    "positive": ("Quick and friendly service, thank you.",
                 "The staff spoke English, which helped a lot."),
    "neutral": ("It worked in the end, but the instructions were unclear.",),
    "negative": ("Nobody could explain the process in English.",
                 "I waited for hours without any information."),
}

# The neighbourhood survey asks for one thing that would make it safer.
NEIGHBOURHOOD = {
    "tr": ("Sokak lambaları artırılsın.", "Parkta akşamları devriye olsun.",
           "Okul önüne yaya geçidi ve kasis yapılsın.",
           "Boş arsa temizlensin, geceleri çok karanlık.",
           "Sokak köpekleri için barınak yapılsın.", "Mahallede polis daha sık görünsün.",
           "Ana caddede hız kontrolü yapılsın."),
    "ar": ("نريد إنارة أكثر في الشوارع ليلاً.", "دوريات شرطة أكثر في الحي."),
    "en": ("More street lights, please.",),
}
SCHOOL_BUS = {
    "positive": ("Şoförümüz çok dikkatli, teşekkürler.",
                 "Rehber personel çocuklarla çok ilgili."),
    "neutral": ("Servis bazen geç kalıyor.", "Kemerler var ama çocuklar takmıyor."),
    "negative": ("Servis çok kalabalık, çocuklar ayakta gidiyor.",
                 "Şoför yolda telefonla konuşuyor.", "Servis çok hızlı gidiyor."),
}


def comment_for(survey_key: str, service: str | None, tone: str, language: str,
                rng: random.Random) -> str:
    """A comment someone of this tone (positive, neutral, negative) might leave."""
    if survey_key == "mahalle":
        return rng.choice(NEIGHBOURHOOD.get(language, NEIGHBOURHOOD["tr"]))
    if language == "ar":
        return rng.choice(ARABIC[tone])
    if language == "en":
        return rng.choice(ENGLISH[tone])
    if survey_key == "okul_servis":
        return rng.choice(SCHOOL_BUS[tone])
    specific = BY_SERVICE.get(service or "", {}).get(tone, ())
    return rng.choice(specific if specific and rng.random() < 0.5 else GENERAL[tone])


def every_comment() -> list[str]:
    """All the texts the demo may write."""
    tables = [GENERAL, ARABIC, ENGLISH, NEIGHBOURHOOD, SCHOOL_BUS, *BY_SERVICE.values()]
    return [text for table in tables for texts in table.values() for text in texts]
