"""Comments as citizens write them, for tests/test_scrub.py: what personal data looks like in
the wild (issue 15, item 10) and ordinary sentences that must come back exactly as written.

Every identity number here has valid check digits (12345678950, 23456789138: TCKN; 4540536920,
9876543217: VKN), so a case fails only because the spelling is not recognised. Add to the
lists; each entry is one test.
"""

from __future__ import annotations

# A comment and what it must look like once scrubbed, by kind.
TCKN_CASES: list[tuple[str, str]] = [
    ("Kimlik no 123.456.789.50 ile başvurdum.", "Kimlik no [TCKN] ile başvurdum."),
    ("Kimlik no 123-456-789-50 ile başvurdum.", "Kimlik no [TCKN] ile başvurdum."),
    ("Kimlik no 1234 5678 950 ile başvurdum.", "Kimlik no [TCKN] ile başvurdum."),
    ("Kimlik no 12 345 678 950 ile başvurdum.", "Kimlik no [TCKN] ile başvurdum."),
    ("Kimlik no 1 2 3 4 5 6 7 8 9 5 0 ile başvurdum.", "Kimlik no [TCKN] ile başvurdum."),
    ("Kimlik no 1-2-3-4-5-6-7-8-9-5-0 ile başvurdum.", "Kimlik no [TCKN] ile başvurdum."),
    ("Kimliğim TC 123 456 78950 olarak kayıtlı.", "Kimliğim TC [TCKN] olarak kayıtlı."),
    ("Kimliğim TC12345678950 olarak kayıtlı.", "Kimliğim [TCKN] olarak kayıtlı."),
    ("Kimliğim T.C.12345678950 olarak kayıtlı.", "Kimliğim [TCKN] olarak kayıtlı."),
    ("Kimliğim tc12345678950 olarak kayıtlı.", "Kimliğim [TCKN] olarak kayıtlı."),
    ("Kimliğim T.C. 123 456 789 50 olarak kayıtlı.", "Kimliğim T.C. [TCKN] olarak kayıtlı."),
    ("Numaram 123  456  789  50 idi.", "Numaram [TCKN] idi."),
    ("Numaram 123\n456\n789\n50 idi.", "Numaram [TCKN] idi."),
    ("Numaram 123_456_789_50 idi.", "Numaram [TCKN] idi."),
    ("Numaram 123/456/789/50 idi.", "Numaram [TCKN] idi."),
    ("Numaram 123 . 456 . 789 . 50 idi.", "Numaram [TCKN] idi."),
    ("Numaram 234 567 891 38 idi.", "Numaram [TCKN] idi."),
    ("Numaram 2345 6789 138, lütfen silin.", "Numaram [TCKN], lütfen silin."),
    ("Kimlik: 123.456.789.50 - 2 gündür bekliyorum", "Kimlik: [TCKN] - 2 gündür bekliyorum"),
    ("Kimlik ١٢٣ ٤٥٦ ٧٨٩ ٥٠ idi", "Kimlik [TCKN] idi"),
    ("Kimlik １２３４５６７８９５０ idi", "Kimlik [TCKN] idi"),
    ("Kimlik 12 34 56 78 95 0 idi", "Kimlik [TCKN] idi"),
    ("Kimlik 1234567 8950 idi", "Kimlik [TCKN] idi"),
    ("Kimlik 123.456.789.50. 3 gündür bekliyorum", "Kimlik [TCKN]. 3 gündür bekliyorum"),
]

TEL_CASES: list[tuple[str, str]] = [
    ("Beni 0532 12 34 567 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0532 1 2 3 4 5 6 7 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0 5 3 2 1 2 3 4 5 6 7 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 5 3 2 1 2 3 4 5 6 7 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0532  123  45  67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0532\n123 45 67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0532_123_45_67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0532/123/45/67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0532 123.45.67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni +90-532-123-45-67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0 (532) 123-45-67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0532 - 123 - 45 - 67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0212 123 45 67 veya 0212 1 2 3 45 67 arayın.", "Beni [TEL] veya [TEL] arayın."),
    ("Tel: 0532 123 45 67 2 gündür kimse aramadı", "Tel: [TEL] 2 gündür kimse aramadı"),
    ("Beni 05 32 12 34 567 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni +90.532.123.45.67 numarasından arayın.", "Beni [TEL] numarasından arayın."),
    ("Beni 0090-532-123-4567 numarasından arayın.", "Beni [TEL] numarasından arayın."),
]

EPOSTA_CASES: list[tuple[str, str]] = [
    ("Bana ali [at] gmail.com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali(at)gmail(dot)com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali @ gmail . com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali%40gmail.com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali＠gmail．com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali [at] gmail [dot] com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali (at) gmail (dot) com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali{at}gmail{dot}com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali[@]gmail[.]com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali AT gmail DOT com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali at gmail dot com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali.veli at gmail.com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali(at)gmail(nokta)com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali [et] hotmail [nokta] com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali@ gmail.com adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali @ posta . gov . tr adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ayşe.yılmaz＠posta．gov．tr adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
    ("Bana ali%40gmail%2Ecom adresinden yazın.", "Bana [EPOSTA] adresinden yazın."),
]

IBAN_CASES: list[tuple[str, str]] = [
    ("Ödeme TR33-0006-1005-1978-6457-8413-26 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR33.0006.1005.1978.6457.8413.26 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR 330 006 100 519 786 457 841 326 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR33 00061005 19786457 841326 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR33  0006  1005  1978  6457  8413  26 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR33_0006_1005_1978_6457_8413_26 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR33/0006/1005/1978/6457/8413/26 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR33 0006 1005\n1978 6457 8413 26 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme TR-33-0006-1005-1978-6457-8413-26 hesabıma.", "Ödeme [IBAN] hesabıma."),
    ("Ödeme T R 3 3 0 0 0 6 1 0 0 5 1 9 7 8 6 4 5 7 8 4 1 3 2 6 hesabıma.",
     "Ödeme [IBAN] hesabıma."),
    ("IBAN: 33 0006 1005 1978 6457 8413 26 hesabıma.", "IBAN: [IBAN] hesabıma."),
]

VKN_CASES: list[tuple[str, str]] = [
    ("Vergi numaram 4540536920, fatura kesilmedi.", "Vergi numaram [VKN], fatura kesilmedi."),
    ("VKN: 454 053 6920 olarak yazılmış.", "VKN: [VKN] olarak yazılmış."),
    ("Vergi kimlik no 454-053-6920 olarak yazılmış.", "Vergi kimlik no [VKN] olarak yazılmış."),
    ("Vergi no 4 5 4 0 5 3 6 9 2 0 yanlış girilmiş.", "Vergi no [VKN] yanlış girilmiş."),
    ("Şirketimin vergi numarası 9876543217.", "Şirketimin vergi numarası [VKN]."),
    ("Benim 9876543217 numaramla işlem yapıldı.", "Benim [VKN] numaramla işlem yapıldı."),
    ("Vergi no 987.654.3217 idi.", "Vergi no [VKN] idi."),
    ("Vergi Kimlik Numaram: 454.053.69.20", "Vergi Kimlik Numaram: [VKN]"),
]

PASAPORT_CASES: list[tuple[str, str]] = [
    ("Pasaportum U12345678 numaralı.", "Pasaportum [PASAPORT] numaralı."),
    ("pasaport no: U12345678 yenilenmedi", "pasaport no: [PASAPORT] yenilenmedi"),
    ("Pasaport numaram U 12345678 idi.", "Pasaport numaram [PASAPORT] idi."),
    ("Pasaport No: 123456789 idi.", "Pasaport No: [PASAPORT] idi."),
    ("passport number N01234567 expired", "passport number [PASAPORT] expired"),
    ("رقم جواز السفر N012345678 شكرا", "رقم جواز السفر [PASAPORT] شكرا"),
    ("Eski pasaportum z12345678 idi.", "Eski pasaportum [PASAPORT] idi."),
]

DOGUM_CASES: list[tuple[str, str]] = [
    ("doğum tarihim 12.05.1985, hâlâ bekliyorum", "doğum tarihim [DOĞUM TARİHİ], hâlâ bekliyorum"),
    ("Doğum tarihim: 12/05/1985 yanlış yazılmış", "Doğum tarihim: [DOĞUM TARİHİ] yanlış yazılmış"),
    ("d.t. 12.05.1985 olarak yazın", "d.t. [DOĞUM TARİHİ] olarak yazın"),
    ("D.T: 12-05-1985 olarak yazın", "D.T: [DOĞUM TARİHİ] olarak yazın"),
    ("1985 doğumluyum, emekliyim.", "[DOĞUM TARİHİ] doğumluyum, emekliyim."),
    ("12 Mayıs 1985 doğumluyum.", "[DOĞUM TARİHİ] doğumluyum."),
    ("12.05.1985 doğumluyum.", "[DOĞUM TARİHİ] doğumluyum."),
    ("Oğlum 2010 doğumlu, kaydı yapılmadı.", "Oğlum [DOĞUM TARİHİ] doğumlu, kaydı yapılmadı."),
    ("doğumlu: 12.05.1985", "doğumlu: [DOĞUM TARİHİ]"),
    ("doğum tarihim 12 Mayıs 1985 olarak kayıtlı", "doğum tarihim [DOĞUM TARİHİ] olarak kayıtlı"),
    ("dogum tarihim 1985-05-12", "dogum tarihim [DOĞUM TARİHİ]"),
    ("I was born on 12 May 1985.", "I was born on [DOĞUM TARİHİ]."),
    ("I was born in 1985.", "I was born in [DOĞUM TARİHİ]."),
    ("born May 12, 1985 in Izmir", "born [DOĞUM TARİHİ] in Izmir"),
    ("Date of birth: 1985-05-12", "Date of birth: [DOĞUM TARİHİ]"),
    ("DOB 12/05/1985", "DOB [DOĞUM TARİHİ]"),
    ("تاريخ الميلاد: 12/05/1985", "تاريخ الميلاد: [DOĞUM TARİHİ]"),
    ("تاريخ الميلاد ١٢/٠٥/١٩٨٥ شكرا", "تاريخ الميلاد [DOĞUM TARİHİ] شكرا"),
    ("doğum yılım 1985, emekliyim", "doğum yılım [DOĞUM TARİHİ], emekliyim"),
    ("1990 yılında doğdum.", "[DOĞUM TARİHİ] yılında doğdum."),
]

AD_CASES: list[tuple[str, str]] = [
    ("Adım Ahmet. Randevu alamadım.", "Adım [AD]. Randevu alamadım."),
    ("Merhaba, adım Ayşe Yılmaz, 40 yaşındayım.", "Merhaba, adım [AD], 40 yaşındayım."),
    ("İsmim Şule Öztürk, teşekkürler.", "İsmim [AD], teşekkürler."),
    ("ismim İsmail Çelik idi", "ismim [AD] idi"),
    ("Benim adım Çağrı Ünal ve memnun kaldım.", "Benim adım [AD] ve memnun kaldım."),
    ("Ben Ahmet Yılmaz, 3 gündür bekliyorum.", "Ben [AD], 3 gündür bekliyorum."),
    ("Merhaba ben Zeynep Kaya. Sıra çok uzundu.", "Merhaba ben [AD]. Sıra çok uzundu."),
    ("Selam ben Ömer, şikayetim var.", "Selam ben [AD], şikayetim var."),
    ("Adım soyadım: Mehmet Demir", "Adım soyadım: [AD]"),
    ("Ad Soyad: Mehmet Demir", "Ad Soyad: [AD]"),
    ("ADIM AHMET YILMAZ", "ADIM [AD]"),
    ("Adım Ayşe'dir, kimse yardım etmedi.", "Adım [AD]'dir, kimse yardım etmedi."),
    ("my name is John Smith and I waited", "my name is [AD] and I waited"),
    ("My name is Ayşe.", "My name is [AD]."),
    ("اسمي أحمد وأنا من حلب", "اسمي [AD] وأنا من حلب"),
    ("مرحبا اسمي محمد علي", "مرحبا اسمي [AD]"),
    ("Ad: Ali Veli\nŞikayet: sıra çok uzun", "Ad: [AD]\nŞikayet: sıra çok uzun"),
    ("Soyadım Yılmaz, adım Ali.", "Soyadım [AD], adım [AD]."),
    ("Merhaba ben adım Ahmet Yılmaz", "Merhaba ben adım [AD]"),
    ("I am Ahmet Yılmaz and I waited", "I am [AD] and I waited"),
    ("Ben, Ahmet Yılmaz, şikayetçiyim.", "Ben, [AD], şikayetçiyim."),
]

PLAKA_CASES: list[tuple[str, str]] = [
    ("34 abc 123 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("34-abc-123 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("34 Abc 123 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("06 a 1234 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("35 ab 12 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("34  ABC  123 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("34_ABC_123 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("34/ABC/123 plakalı araç yolu kapattı.", "[PLAKA] plakalı araç yolu kapattı."),
    ("Plaka:\n34\nABC\n123", "Plaka:\n[PLAKA]"),
    ("Aracım 16 ab 4321, çekildi.", "Aracım [PLAKA], çekildi."),
]

MASKED: list[tuple[str, str]] = [
    *TCKN_CASES,
    *TEL_CASES,
    *EPOSTA_CASES,
    *IBAN_CASES,
    *VKN_CASES,
    *PASAPORT_CASES,
    *DOGUM_CASES,
    *AD_CASES,
    *PLAKA_CASES,
]

# Ordinary sentences: numbers, dates, amounts and capitalised words a comment is made of.
UNCHANGED: list[str] = [
    # numbers that only look like identifiers
    "Toplam 1.250.000 TL ödedim, 1.250,50 TL iade bekliyorum.",
    "Toplam 1.234.567.890 TL tutarında proje.",  # 1234567890 has a valid VKN check digit
    "Bütçe 12.345.678.950 TL olarak açıklandı.",  # and 12345678950 a valid TCKN
    "Nüfus 1 234 567 890 kişiyi buldu.",
    "Sipariş numaram 4540536920, hâlâ gelmedi.",
    "Kargo takip no 9876543217 ama kargo yok.",
    "Başvuru no: 454 053 6920 sonuç çıkmadı.",
    "Fatura no 987-654-3217 iade edilmedi.",
    "12.05.2024 tarihinde saat 14.30'da gittim.",
    "15/06/2024 - 20.06.2024 arası kapalıydı.",
    "Dün 12.05.2024 11 kişi sıradaydı.",
    "Randevu 03.12.2024 123 numaralı odada.",
    "2024-2025 eğitim yılında 3 kez gittim.",
    "Saat 08:30-17:30 arası açık, 12:00-13:00 öğle arası.",
    "Puanım 10/10, teşekkürler.",
    "1/2/3 numaralı gişeler kapalıydı.",
    "444 1 444 çağrı merkezini aradım.",
    "112, 155 ve 156 hatlarına ulaştım.",
    "0850 222 0 850 hattı cevap vermiyor.",
    "Sırada 1 2 3 4 5 6 7 8 9 10 11 12 numaralar vardı.",
    # plates
    "34 yaşındayım ve ilk kez başvuru yaptım.",
    "06 Mayıs günü randevum vardı.",
    "Bilet 50 TL 100 TL oldu.",
    "Sınıf 10 A 25 öğrenciden oluşuyor.",
    "Kredi 12 ay 36 taksit olarak verildi.",
    "Sıramız 34 ve 56 idi.",
    "Günde 20 ile 30 kişi geliyor.",
    "45 kez 100 kişiye sordum.",
    "Yol 15 km 200 metre uzadı.",
    "Oda 12 de 34 kişi bekledi.",
    # e-mail look-alikes
    "Bakanlığın @icisleri hesabından duyurdular.",
    "Teşekkürler @ekip. Harika iş.",
    "Şikayetimi cimer.gov.tr üzerinden ilettim.",
    "Look at turkiye.gov.tr for the forms.",
    "Saat 10 @ ofis. Sonra eve.",
    "%40 indirim vardı. Com değil.",
    "We met at noon. Com was closed.",
    # dates that are not dates of birth
    "Doğum tarihim yanlış yazılmış, düzeltilmedi.",
    "Doğum izni için 12.05.2024 tarihinde başvurdum.",
    "Annem 1950'de doğdu, o da memnun.",
    "Çocuğum 2010 yılında okula başladı.",
    "I was born here and I live here.",
    # names: cue words without a name, capitalised words that are not names
    "Ben de çok memnunum.",
    "ben de çok memnunum",
    "Ben Ankara'ya gittim, iş bitmedi.",
    "Ben Ankara merkezde oturuyorum.",
    "Ben Türk vatandaşıyım.",
    "Ben Suriyeliyim ve Türkçe bilmiyorum.",
    "Ben Nüfus müdürlüğüne gittim.",
    "Ben Pazartesi gittim, kapalıydı.",
    "BEN DE ÇOK MEMNUNUM.",
    "Bir adım daha attık, adım adım ilerliyoruz.",
    "Adımı attım ama kimse ilgilenmedi.",
    "İsmim listede yoktu.",
    "My name is not important.",
    "Ben İstanbul'dan geldim.",
    "Görevli Ahmet bey çok yardımcı oldu.",
    "I am Turkish and I waited 3 hours.",
    "I am very disappointed.",
    "Adres: Atatürk Caddesi No 12.",
    "İlk adım Ankara'da atıldı.",
    "Ben Ankara Valiliği'ne gittim.",
    "Ben T.C. vatandaşıyım.",
    "Kod REF4540536920 geçersiz.",
    # passports look-alikes
    "A4 kağıdı bitmişti, B12 formu doldurdum.",
    "Pasaport başvurum 3 haftadır bekliyor.",
    "Pasaport 15 günde geldi.",
    # everything ordinary at once
    "2024 yılında 12.05.2024 tarihinde saat 14:30'da gittim, 3 saat bekledim, "
    "1500 TL harç ödedim, 45 dakika sonra sıra geldi, sıra numaram 127.",
]
