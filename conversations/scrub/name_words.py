"""The words that decide whether a capitalised (or, after a strong cue, any) word is a name.

Every list is compared in *folded* form (fold): lower case with the Turkish and the English
i made one letter - "I", "İ", "ı" and "i" all become "i" - so that "Iraqi" and "Iraklı" (typed
with an English capital I) find "iraqi" and "ıraklı", and "İSTANBUL" finds "istanbul".
Turkish lower-casing alone turns "I" into "ı" and loses the English words; plain lower() turns
"İ" into "i" plus a combining dot and loses the Turkish ones.

What a list cannot know is left to the context the cue requires (names and name_runs): these
lists only keep the frequent words out, they do not make a word a name.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources


def fold(word: str) -> str:
    """Lower case in which "I", "İ", "ı" and "i" are one letter: for comparing, not showing."""
    return word.replace("İ", "i").replace("I", "i").lower().replace("ı", "i")


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


# Words that begin sentences, and the words "ben" / "I am" / "adım" are followed by when no
# name is: pronouns, adverbs, numbers, days and months, times, nationalities, languages,
# religions, occupations and states, service words, honorifics, relatives, the cues.
NOT_NAMES = _folded(
    """
    de da ki bu şu o bir çok hiç hep her artık sadece bile yine gene şimdi zaten ise mi mu mü
    ve veya ile ya ne niye neden nasıl hala hâlâ henüz dün bugün yarın burada orada şurada
    size sizi sizden sizin siz bize bizi bizden bizim biz onu ona onun onlar bunu buna bunun
    bunlar kendim kendi kendimiz hem ama fakat ancak lakin yani evet hayır tam biraz daha en
    gerçekten kesinlikle asla sürekli aslında ben sen bana beni benden benim sana seni senin
    hepimiz hepsi herkes kimse hiçbir bazı birçok tüm bütün aynı başka diğer öyle böyle şöyle
    belki mutlaka özellikle genelde genellikle hemen sonra önce şahsen açıkçası maalesef
    malesef lütfen rica teşekkür teşekkürler sağolun sağol saygılar saygılarımla selam
    selamlar merhaba iyi günler kötü güzel az yok var değil değilim olarak için gibi kadar
    önemli önemsiz yanlış hatalı eksik farklı gizli anonim belli belirsiz
    göre kere kez defa sefer tekrar yeniden yeni eski ilk son geçen gelecek önceki sonraki
    sabah sabahtan öğlen öğle akşam gece hafta ay yıl sene gün saat dakika bayram bayramda
    ramazan ramazanda kurban yılbaşı tatil
    iki üç dört beş altı yedi sekiz dokuz on yirmi otuz kırk elli yüz bin milyon birinci
    ikinci üçüncü yarım
    pazartesi salı çarşamba perşembe cuma cumartesi pazar ocak şubat mart nisan mayıs haziran
    temmuz ağustos eylül ekim kasım aralık
    türk türküm türkiye tc vatandaş vatandaşı vatandaşıyım suriyeli suriye kürt arap alman
    afgan afganistan afganistanlı irak ıraklı iran iranlı rus rusya ukraynalı ukrayna azeri
    azerbaycanlı pakistanlı pakistan özbek türkmen kazak kırgız gürcü ermeni çerkez laz çeçen
    somali sudanlı mısırlı libyalı faslı cezayirli tunuslu yemenli filistinli lübnanlı
    ürdünlü suudi hintli çinli uygur yunan bulgar arnavut boşnak fransız ingiliz amerikalı
    yabancı müslüman hristiyan hıristiyan yahudi ezidi alevi sünni şii
    türkçe arapça kürtçe ingilizce farsça almanca fransızca rusça ukraynaca peştuca urduca
    özbekçe türkmence azerice çerkezce lazca zazaca süryanice ermenice rumca yunanca
    ispanyolca italyanca çince japonca korece hintçe somalice
    memur öğretmen emekli işçi doktor avukat mühendis hemşire asker öğrenci esnaf çiftçi
    şoför engelli gazi şehit anne baba hasta yaşlı hamile gebe dul bekar evli mülteci
    sığınmacı göçmen misafir turist nöbetçi vefat cenaze randevu kimlik kart başvuru işlem
    sıra evrak belge dilekçe ikamet pasaport vize çalışma izin geçici koruma şikayet sorun
    problem hizmet personel görevli bilgi yardım destek cevap sonuç lise ilkokul ortaokul
    anaokulu kreş
    bey hanım bay bayan efendi hoca hocam abi abla ağabey amca teyze usta sayın
    eşim karım kocam oğlum kızım annem babam kardeşim abim ablam dedem ninem çocuğum
    çocuklarım ailem aile torunum yeğenim
    ad adım adı adımı soyad soyadım soyadı isim ismim ismi soyisim soyismim
    the a an not also very so just really still here there from and or but with without in
    on at for to of by my your our his her their this that it its is am are was were be been
    me we you he she they us them no yes please hello hi dear
    happy sad tired sorry sure glad disappointed angry unhappy satisfied grateful thankful
    upset writing waiting living working staying new old good bad fine okay ok refugee
    student teacher doctor engineer nurse worker lawyer retired disabled pregnant foreigner
    tourist citizen resident married single widow everyone everybody all team friends guys
    office center centre department service bureau staff people community family
    missing written wrong spelled misspelled incorrect different correct registered
    regards thanks thank sincerely cheers
    afghan albanian algerian american arab arabic armenian australian austrian azerbaijani
    bangladeshi belgian brazilian british bulgarian canadian chechen chinese circassian
    colombian congolese croatian cuban czech danish dutch egyptian emirati english eritrean
    ethiopian european filipino finnish french georgian german ghanaian greek hungarian indian
    indonesian iranian iraqi irish israeli italian jamaican japanese jordanian kazakh kenyan
    korean kurdish kuwaiti kyrgyz lebanese libyan macedonian malaysian mexican moldovan
    mongolian moroccan nepali nigerian norwegian pakistani palestinian persian polish
    portuguese romanian russian saudi scottish senegalese serbian somali spanish sudanese
    swedish swiss syrian tajik tanzanian thai tunisian turkish turkmen uighur uyghur ukrainian
    uzbek venezuelan vietnamese yemeni welsh farsi pashto dari urdu
    muslim christian jewish hindu buddhist catholic protestant orthodox sunni shia shiite
    yazidi atheist
    turkey syria iraq iran afghanistan germany england britain america usa uk egypt lebanon
    jordan palestine yemen sudan somalia libya morocco algeria tunisia russia ukraine
    azerbaijan georgia
    """
)
# Beginnings of words naming institutions and places of service, which citizens capitalise:
# "Ben Nüfus müdürlüğüne", "Ben Göç İdaresi'ne", "Ben Sosyal Hizmetlere".
INSTITUTION_STEMS = tuple(
    fold(stem)
    for stem in """
    nüfus vergi emniyet belediye valili kaymakam hastane müdürlü başkanlı bakanlı merkez
    karakol okul üniversite adliye mahkeme savcılı ptt sgk e-devlet edevlet noter tapu
    jandarma polis zabıta muhtarlı devlet cumhurbaşkan meclis göç afad kızılay sağlık eğitim
    milli allah idare komutan kurum kurul daire şube ofis içişleri dışişleri genel sosyal
    hizmet halk aile banka vakf vakıf derne konsey saray cami büro servis birim masa toplum
    ilçe mahalle
    """.split()
)
# After a strong cue lower-case words are read too ("adım ahmet"); these beginnings say the
# sentence goes on about the name instead: "ismim listede yoktu", "adım yanlış yazılmış".
LOWER_CASE_STEMS = tuple(
    fold(stem)
    for stem in """
    liste sistem kayıt kayd kimlik kart form belge evrak yanlış hata eksik farklı doğru önem
    yazıl yazma yazdı geç çık görün değiş bilin belli gizli anonim resmi önceden burada
    orada important
    """.split()
)
# Endings of Turkish verbs and of "I am ..." that no name has, on folded words: "Gittim",
# "Bekliyorum", "Kapalıydı", "Yazılmış", "Gelecek", "Öğrenciyim". Past tenses end in -dı /
# -ti, which Hamdi and Ferdi end in too: without a personal ending they are left alone.
VERB_ENDING_RE = re.compile(
    r"(?:[dt][iuü]m|y[dt][iuü]|yor\w*|m[iuü]ş\w*|[ae]c[ae]k\w*|y[iuü]m"
    r"|(?:s[iuü]|[iuü])nd[ae]n?)$"  # "Noktasında", "Merkezinden": a place, not a person
)
# In lower case, where a capital no longer says "name", the bare past tense too: "attık",
# and English "-ing" ("my name is missing").
LOWER_VERB_ENDING_RE = re.compile(r"(?:[dt][iuü][km]?|[dt][iuü]lar|[dt][iuü]ler|ing)$")

# Endings after an apostrophe. "is / am / was": the word before is still the name.
COPULA = _folded(
    "dir dır dur dür tir tır tur tür im ım um üm yim yım yum yüm dim dım dum düm tim tım tum "
    "tüm ydi ydı ydu ydü di dı du dü ti tı tu tü"
)
# "of": "Mehmet'in annesiyim", "Emre'nin kimliği", "Ali's father".
GENITIVE = _folded("in ın un ün nin nın nun nün s")
# Relatives and representatives, as in "X'in annesiyim", "Mehmetin babasıyım", "Ali's father".
KIN_STEMS = tuple(
    fold(stem)
    for stem in """
    annesi babası eşi kızı oğlu kardeşi ablası abisi ağabeyi dedesi ninesi torunu yeğeni
    amcası dayısı teyzesi halası kocası karısı hanımı nişanlısı çocuğu velisi vekili
    avukatı yakını komşusu arkadaşı father mother wife husband son daughter brother sister
    child parent guardian cousin uncle aunt friend
    """.split()
)
HONORIFICS = _folded("bey beyi beyin beye hanım hanımın hanıma bay bayan efendi")
# Words that join the parts of a name: "el-Hasan", "Al Khatib", "bin Laden", "Abu Bakr".
PARTICLES = _folded("el al ul ül bin ibn bint abu ebu abd abdul van von")
KUNYA = _folded("abu ebu abd abdul")  # particles that may begin a name

# Arabic has no capitals: after "اسمي" or "أنا" the words below say what follows is not a
# name - negations and particles, participles and adjectives ("مكتوب", "مسجل", "سعيد"),
# nationalities, states and occupations ("لاجئ", "طالب", "مريض"), relatives.
ARABIC_NOT_NAMES = frozenset(
    """
    انا أنا اسمي اسم الاسم من في عمري عن على الى إلى مع منذ عند هو هي هذا هذه ذلك تلك كان
    كانت قد لقد
    غير لم لا ليس ليست لن ما لست كنت صار أصبح ايضا أيضا كذلك جدا جدًا هنا هناك الآن الان
    دائما مكتوب مكتوبة مسجل مسجلة موجود موجودة خطأ خاطئ خاطئة غلط صحيح صح ناقص كامل الكامل
    يظهر ظاهر مختلف نفس فقط
    سعيد سعيدة راض راضي راضية مسرور مسرورة ممتن ممتنة شاكر شاكرة حزين حزينة زعلان زعلانة
    متعب متعبة تعبان تعبانة مريض مريضة حامل لاجئ لاجئة طالب طالبة موظف موظفة عامل عاملة
    سوري سورية عراقي عراقية أفغاني افغاني فلسطيني تركي تركية عربي عربية كردي كردية مقيم
    مقيمة مواطن مواطنة متزوج متزوجة أرمل أرملة مطلق مطلقة كبير كبيرة مسن مسنة معاق معاقة
    عاجز مستاء مستاءة غاضب غاضبة منزعج منزعجة متأخر متأخرة جديد جديدة مستعجل بحاجة محتاج
    أم ام أب اب والد والدة أخ أخت ابن ابنة بنت زوج زوجة رجل امرأة شاب طفل
    شكرا شكراً ظبي زوجي زوجتي ابني ابنتي بنتي أمي امي أبي ابي والدي والدتي أخي اخي أختي
    اختي عائلتي أطفالي اطفالي أولادي اولادي
    """.split()
)
# First names that begin with "و", which is otherwise "and": "وزوجتي" (and my wife).
ARABIC_NAMES_WITH_WAW = frozenset(
    "وليد وائل وسام وفاء وداد وعد وجدان وحيد وديع ودود وصفي وهيب وهبة ولاء وئام".split()
)
# Beginnings that make an Arabic word a preposition with an article: "بالتركي", "للموظف".
ARABIC_PREFIXES = ("بال", "لل", "وال", "فال", "كال")
# Words that take the next word into the same name: "عبد الرحمن", "أبو أحمد", "بن علي".
ARABIC_JOINERS = frozenset("عبد أبو ابو ابن بن بنت".split())
# Words that take the previous one: "نور الدين", "عبد الله" written apart.
ARABIC_JOINED = frozenset("الدين الله".split())


def is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff"


def is_institution(folded: str) -> bool:
    return folded.startswith(INSTITUTION_STEMS)


def is_kin(word: str) -> bool:
    return fold(word).startswith(KIN_STEMS)


def is_place(word: str) -> bool:
    return fold(word) in _province_names()


@cache
def _province_names() -> frozenset[str]:
    """The 81 provinces, from the same file the survey's place questions use."""
    resource = resources.files("conversations") / "data" / "provinces.csv"
    rows = csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8")))
    return frozenset(fold(row["name"]) for row in rows)
