"""Every text of `taawun new` in French and Arabic: its questions, hints, messages, and the
comments it writes into the files (in the language the person chose)."""

from __future__ import annotations

from typing import Any

# key: (French, Arabic). Values in {braces} are filled in by ``text``.
TEXTS: dict[str, tuple[str, str]] = {
    # -- the conversation ----------------------------------------------------------------------
    "ask.default": ("Entrée : {default}", "زر الإدخال: {default}"),
    "ask.skip": ("Entrée : passer", "زر الإدخال: للتخطي"),
    "ask.wrong": ("« {answer} » ne convient pas : ", "«{answer}» غير مقبول: "),
    "ask.required": (
        "une réponse est nécessaire ici.",
        "هذا السؤال يحتاج إلى جواب.",
    ),
    "ask.choose": (
        "tapez un numéro de 1 à {n}, ou un identifiant de la liste.",
        "اكتب رقما من 1 إلى {n}، أو معرّفا من القائمة.",
    ),
    "ask.pick": ("Numéro ou identifiant", "الرقم أو المعرّف"),
    "ask.type-id": ("Identifiant", "المعرّف"),
    "ask.close": ("Vouliez-vous dire : {ids} ?", "هل تقصد: {ids}؟"),
    "ask.unknown": (
        "« {answer} » n'est pas dans la liste ; tapez un identifiant existant.",
        "«{answer}» غير موجود؛ اكتب معرّفا موجودا.",
    ),
    "ask.no-answer": (
        "pas de réponse à la question « {question} » (l'entrée est finie) ; rien n'a été écrit",
        "لا جواب على السؤال «{question}» (انتهت المدخلات)؛ لم يُكتب أي ملف",
    ),
    "ask.no-options": (
        "rien à choisir pour « {question} » : ajoutez d'abord une entrée dans le dossier "
        "content/data/ (voir docs/content-format.md) ; rien n'a été écrit",
        "لا شيء للاختيار في «{question}»: أضف أولا عنصرا في المجلد content/data/ "
        "(انظر docs/content-format.md)؛ لم يُكتب أي ملف",
    ),
    "language.ar": ("en arabe", "بالعربية"),
    "language.fr": ("en français", "بالفرنسية"),
    "intro.cooperative": (
        "Nouvelle coopérative. Répondez à chaque question puis appuyez sur Entrée.",
        "تعاونية جديدة. أجب عن كل سؤال ثم اضغط زر الإدخال (Enter).",
    ),
    "intro.product": (
        "Nouveau produit. Répondez à chaque question puis appuyez sur Entrée.",
        "منتج جديد. أجب عن كل سؤال ثم اضغط زر الإدخال (Enter).",
    ),
    "intro.idea": (
        "Nouvelle idée de projet. Répondez à chaque question puis appuyez sur Entrée.",
        "فكرة مشروع جديدة. أجب عن كل سؤال ثم اضغط زر الإدخال (Enter).",
    ),
    "intro.course": (
        "Nouveau cours, avec son premier module et sa première leçon. Répondez à chaque "
        "question puis appuyez sur Entrée.",
        "دورة جديدة، مع أول وحدة وأول درس. أجب عن كل سؤال ثم اضغط زر الإدخال (Enter).",
    ),
    "intro.lesson": (
        "Nouvelle leçon. Répondez à chaque question puis appuyez sur Entrée.",
        "درس جديد. أجب عن كل سؤال ثم اضغط زر الإدخال (Enter).",
    ),
    # -- questions ------------------------------------------------------------------------------
    "q.id": (
        "Identifiant (il donne le nom du fichier et l'adresse de la page)",
        "المعرّف (هو اسم الملف وعنوان الصفحة)",
    ),
    "q.sector": ("Secteur", "القطاع"),
    "q.region": ("Région", "الجهة"),
    "q.province": ("Province", "الإقليم"),
    "q.category": ("Catégorie", "الصنف"),
    "q.coop.name": ("Nom de la coopérative, {language}", "اسم التعاونية، {language}"),
    "q.coop.summary": (
        "Une phrase qui présente la coopérative, {language}",
        "جملة تقدّم التعاونية، {language}",
    ),
    "q.coop.register": (
        "Numéro d'immatriculation au registre des coopératives (par exemple 12/2008)",
        "رقم التسجيل في سجل التعاونيات (مثلا 12/2008)",
    ),
    "q.coop.court": (
        "Tribunal qui tient ce registre, {language}",
        "المحكمة التي تمسك هذا السجل، {language}",
    ),
    "q.coop.registered": (
        "Date d'immatriculation (AAAA-MM-JJ)",
        "تاريخ التسجيل (السنة-الشهر-اليوم)",
    ),
    "q.coop.founded": ("Date de création (AAAA-MM-JJ)", "تاريخ التأسيس (السنة-الشهر-اليوم)"),
    "q.coop.members": ("Nombre de membres", "عدد الأعضاء"),
    "q.coop.women": ("Dont femmes", "منهم نساء"),
    "q.coop.youth": ("Dont jeunes (moins de 35 ans)", "منهم شباب (أقل من 35 سنة)"),
    "q.coop.phone": (
        "Téléphone de la coopérative (+212…)",
        "هاتف التعاونية (+212…)",
    ),
    "q.coop.fee": ("Prix de la livraison, en dirhams", "ثمن التوصيل، بالدرهم"),
    "q.coop.days": (
        "Délai d'envoi d'une commande, en jours",
        "مدة إرسال الطلب، بالأيام",
    ),
    "q.product.cooperative": ("Coopérative qui vend ce produit", "التعاونية التي تبيع هذا المنتج"),
    "q.product.name": ("Nom du produit, {language}", "اسم المنتج، {language}"),
    "q.product.summary": (
        "Une phrase qui décrit le produit, {language}",
        "جملة تصف المنتج، {language}",
    ),
    "q.product.price": ("Prix en dirhams (par exemple 120.00)", "الثمن بالدرهم (مثلا 120.00)"),
    "q.product.quantity": (
        "Quantité nette : le nombre (par exemple 250)",
        "الكمية الصافية: العدد (مثلا 250)",
    ),
    "q.product.unit": ("Unité de la quantité", "وحدة الكمية"),
    "q.product.weight": (
        "Poids du colis en grammes, emballage compris",
        "وزن الطرد بالغرام، مع التغليف",
    ),
    "q.product.stock": (
        "Stock disponible (nombre d'unités)",
        "المخزون المتوفر (عدد الوحدات)",
    ),
    "q.product.onssa": (
        "Numéro ONSSA du produit (la coopérative n'en a pas)",
        "رقم أونسا لهذا المنتج (ليس للتعاونية رقم)",
    ),
    "q.product.image": (
        "Chemin d'une image du produit dans le dossier de contenu (par exemple "
        "media/products/photo.jpg)",
        "مسار صورة المنتج في مجلد المحتوى (مثلا media/products/photo.jpg)",
    ),
    "q.product.alt": ("Ce que montre cette image, {language}", "ما تُظهره هذه الصورة، {language}"),
    "q.idea.title": ("Titre de l'idée, {language}", "عنوان الفكرة، {language}"),
    "q.idea.summary": ("Une phrase qui résume l'idée, {language}", "جملة تلخص الفكرة، {language}"),
    "q.idea.group": ("Pour qui surtout", "لمن بالخصوص"),
    "q.idea.chain": (
        "Filière (par exemple « Figue »), {language}",
        "سلسلة الإنتاج (مثلا «التين»)، {language}",
    ),
    "q.idea.rationale": (
        "Pourquoi dans cette région, {language}",
        "لماذا في هذه الجهة، {language}",
    ),
    "q.idea.customers": ("Qui achètera, {language}", "من سيشتري، {language}"),
    "q.idea.item": (
        "Premier investissement (par exemple « Séchoirs solaires »), {language}",
        "أول استثمار (مثلا «مجففات شمسية»)، {language}",
    ),
    "q.idea.amount": ("Son montant en dirhams", "مبلغه بالدرهم"),
    "q.idea.jobs": ("Emplois directs créés", "مناصب الشغل المباشرة"),
    "q.idea.women": (
        "Part des femmes dans ces emplois (0 à 100)",
        "حصة النساء من هذه المناصب (0 إلى 100)",
    ),
    "q.idea.youth": (
        "Part des jeunes dans ces emplois (0 à 100)",
        "حصة الشباب من هذه المناصب (0 إلى 100)",
    ),
    "q.idea.source": ("D'où vient l'idée", "مصدر الفكرة"),
    "q.idea.ref": (
        "Référence de la source (un document, un appel, une édition)",
        "مرجع المصدر (وثيقة، طلب مشاريع، نسخة)",
    ),
    "q.course.title": ("Titre du cours, {language}", "عنوان الدورة، {language}"),
    "q.course.summary": (
        "Une phrase qui présente le cours, {language}",
        "جملة تقدّم الدورة، {language}",
    ),
    "q.course.audience": ("Pour qui", "لمن"),
    "q.course.level": ("Niveau", "المستوى"),
    "q.course.outcome": (
        "Ce que l'apprenant saura faire à la fin, {language}",
        "ما سيعرف المتعلم فعله في النهاية، {language}",
    ),
    "q.module.title": ("Titre du module, {language}", "عنوان الوحدة، {language}"),
    "q.module.id": ("Identifiant du module (le nom de son dossier)", "معرّف الوحدة (اسم مجلدها)"),
    "q.lesson.course": ("Cours", "الدورة"),
    "q.lesson.module": ("Module", "الوحدة"),
    "q.lesson.new-module": ("Nouveau module", "وحدة جديدة"),
    "q.lesson.title": ("Titre de la leçon, {language}", "عنوان الدرس، {language}"),
    "q.lesson.id": (
        "Identifiant de la leçon (le nom de son fichier et l'adresse de sa page)",
        "معرّف الدرس (اسم ملفه وعنوان صفحته)",
    ),
    "q.lesson.minutes": (
        "Durée en minutes (lire la leçon et répondre au quiz)",
        "المدة بالدقائق (قراءة الدرس والإجابة عن الاختبار)",
    ),
    # -- what a wrong answer gets ---------------------------------------------------------------
    "hint.text": ("écrivez un texte.", "اكتب نصا."),
    "hint.id": (
        "utilisez des lettres minuscules a-z, des chiffres et des tirets simples, comme "
        "« argan-tamanar ».",
        "استعمل حروفا لاتينية صغيرة a-z وأرقاما وشرطات مفردة، مثل «argan-tamanar».",
    ),
    "hint.date": (
        "écrivez la date comme 2024-03-31 (année-mois-jour).",
        "اكتب التاريخ هكذا 2024-03-31 (السنة-الشهر-اليوم).",
    ),
    "hint.phone": (
        "écrivez le numéro avec +212 et sans espaces, comme +212612345678.",
        "اكتب الرقم مع +212 وبدون فراغات، مثل +212612345678.",
    ),
    "hint.money": (
        "écrivez un montant en dirhams comme 120.00 (des chiffres, un point, deux décimales).",
        "اكتب مبلغا بالدرهم مثل 120.00 (أرقام ونقطة ورقمان بعدها).",
    ),
    "hint.count": ("écrivez un nombre entier : 0, 1, 2…", "اكتب عددا صحيحا: 0، 1، 2…"),
    "hint.positive": ("écrivez un nombre entier de 1 ou plus.", "اكتب عددا صحيحا يساوي 1 أو أكثر."),
    "hint.number": (
        "écrivez un nombre plus grand que 0, comme 250 ou 0.5.",
        "اكتب عددا أكبر من 0، مثل 250 أو 0.5.",
    ),
    "hint.days": ("écrivez un nombre de jours de 0 à 365.", "اكتب عدد أيام من 0 إلى 365."),
    "hint.percent": ("écrivez un nombre entier de 0 à 100.", "اكتب عددا صحيحا من 0 إلى 100."),
    "hint.image": (
        "donnez le chemin d'une image .jpg, .png, .webp ou .svg qui existe dans le dossier de "
        "contenu, comme media/products/photo.jpg.",
        "اكتب مسار صورة .jpg أو .png أو .webp أو .svg موجودة في مجلد المحتوى، مثل "
        "media/products/photo.jpg.",
    ),
    "check.id-used": (
        "l'identifiant « {id} » est déjà pris ; choisissez-en un autre.",
        "المعرّف «{id}» مستعمل؛ اختر معرّفا آخر.",
    ),
    "check.id-reserved": (
        "« {id} » est réservé aux pages du site ; choisissez un autre identifiant.",
        "«{id}» محجوز لصفحات الموقع؛ اختر معرّفا آخر.",
    ),
    "check.exists": (
        "{path} existe déjà ; choisissez un autre identifiant.",
        "{path} موجود؛ اختر معرّفا آخر.",
    ),
    "check.more-than-total": (
        "ce nombre dépasse le nombre de membres ({total}).",
        "هذا العدد أكبر من عدد الأعضاء ({total}).",
    ),
    "error.exists": (
        "{path} existe déjà ; rien n'a été écrit (ce fichier n'est jamais remplacé)",
        "{path} موجود؛ لم يُكتب أي شيء (هذا الملف لا يُستبدل أبدا)",
    ),
    "error.no-cooperative": (
        "il n'y a encore aucune coopérative ; créez-la d'abord avec `taawun new cooperative`",
        "لا توجد أي تعاونية بعد؛ أنشئها أولا بالأمر `taawun new cooperative`",
    ),
    "error.no-course": (
        "il n'y a encore aucun cours ; créez-le d'abord avec `taawun new course`",
        "لا توجد أي دورة بعد؛ أنشئها أولا بالأمر `taawun new course`",
    ),
    "error.no-content": (
        "le dossier de contenu {path} n'existe pas",
        "مجلد المحتوى {path} غير موجود",
    ),
    # -- the report -----------------------------------------------------------------------------
    "done.written": ("✓ écrit : {path}", "✓ كُتب: {path}"),
    "done.edited": ("✓ ajouté à la liste : {path}", "✓ أضيف إلى القائمة: {path}"),
    "done.checked": (
        "✓ taawun check : aucun problème dans ces fichiers",
        "✓ taawun check: لا مشكلة في هذه الملفات",
    ),
    "done.problems": (
        "✗ taawun check a trouvé des problèmes dans ces fichiers :",
        "✗ وجد taawun check مشاكل في هذه الملفات:",
    ),
    "done.next": (
        "Ensuite : complétez les textes .md, relisez les lignes REVIEW (grep -rn REVIEW {path}), "
        "puis lancez « taawun check --lang {code} » et « taawun serve ».",
        "بعد ذلك: أكمل نصوص ‎.md‎، وراجع الأسطر REVIEW ‏(grep -rn REVIEW {path})، ثم شغّل "
        "«taawun check --lang {code}» و«taawun serve».",
    ),
    # -- what the files say ---------------------------------------------------------------------
    "c.check": (
        "Chaque champ est décrit dans docs/content-format.md. Vérifiez avec : taawun check --lang {code}",
        "كل حقل موصوف في docs/content-format.md. تحقق بالأمر: taawun check --lang {code}",
    ),
    "c.id": (
        "l'identifiant : le nom du fichier et l'adresse de la page ; ne le changez plus",
        "المعرّف: اسم الملف وعنوان الصفحة؛ لا تغيّره بعد النشر",
    ),
    "note.translate": ("copie à traduire {language}", "نسخة يجب ترجمتها {language}"),
    "note.photo": (
        "une image d'attente ; mettez la photo du produit dans media/products/{coop}/{id}.jpg "
        "et écrivez ce chemin ici",
        "صورة مؤقتة؛ ضع صورة المنتج في media/products/{coop}/{id}.jpg واكتب هذا المسار هنا",
    ),
    "note.steps": ("des étapes types ; adaptez-les à l'idée", "مراحل نموذجية؛ كيّفها مع الفكرة"),
    "c.coop.head": (
        "La coopérative {id}, créée avec `taawun new cooperative`.\n"
        "Son histoire est dans {id}.ar.md et {id}.fr.md, à côté de ce fichier (Markdown).",
        "التعاونية {id}، أنشئت بالأمر `taawun new cooperative`.\n"
        "قصتها في {id}.ar.md و {id}.fr.md بجانب هذا الملف (Markdown).",
    ),
    "c.coop.name": (
        "Le nom officiel, en arabe et en français.",
        "الاسم الرسمي بالعربية والفرنسية.",
    ),
    "c.coop.summary": (
        "Une phrase qui présente la coopérative (dans les listes et la recherche).",
        "جملة تقدّم التعاونية (في القوائم والبحث).",
    ),
    "c.coop.register": (
        "L'immatriculation au registre des coopératives : numéro, tribunal, date.",
        "التسجيل في سجل التعاونيات: الرقم والمحكمة والتاريخ.",
    ),
    "c.coop.place": (
        "Le secteur (data/sectors.yaml), la région et la province (data/regions.yaml), la commune.",
        "القطاع (data/sectors.yaml) والجهة والإقليم (data/regions.yaml) والجماعة.",
    ),
    "c.coop.founded": ("la date de création", "تاريخ التأسيس"),
    "c.coop.members": (
        "Les membres à une date : total, femmes, jeunes (moins de 35 ans). Le conseil "
        "d'administration (board) est facultatif.",
        "الأعضاء في تاريخ معيّن: المجموع والنساء والشباب (أقل من 35 سنة). مجلس الإدارة (board) اختياري.",
    ),
    "c.coop.contact": (
        "Le contact publié sur la page. Numéros avec +212 ; WhatsApp, e-mail et langues parlées "
        "sont facultatifs.",
        "الاتصال المنشور في الصفحة. الأرقام مع +212؛ واتساب والبريد واللغات المستعملة اختيارية.",
    ),
    "c.coop.onssa": (
        "Pour vendre des produits alimentaires : l'autorisation ou l'agrément ONSSA.",
        "لبيع المنتجات الغذائية: ترخيص أو اعتماد المكتب الوطني للسلامة الصحية (أونسا).",
    ),
    "c.coop.labels": (
        "Les labels certifiés (data/labels.yaml), chacun avec son certificat.",
        "العلامات المعتمدة (data/labels.yaml)، كل واحدة مع شهادتها.",
    ),
    "c.coop.delivery": ("La livraison des commandes.", "توصيل الطلبات."),
    "c.coop.zones": (
        "national, ou une liste de régions comme [souss-massa]",
        "national، أو قائمة جهات مثل [souss-massa]",
    ),
    "c.coop.fee": (
        "le prix de la livraison en dirhams, entre guillemets",
        "ثمن التوصيل بالدرهم بين علامتي تنصيص",
    ),
    "c.coop.free-from": (
        "# livraison offerte à partir de ce montant",
        "# التوصيل مجاني ابتداء من هذا المبلغ",
    ),
    "c.coop.cod": (
        "paiement à la livraison : true (oui) ou false (non)",
        "الدفع عند التسليم: true (نعم) أو false (لا)",
    ),
    "c.coop.days": ("jours pour envoyer une commande", "عدد الأيام لإرسال الطلب"),
    "c.coop.photos": (
        "Des photos (JPEG, PNG ou WebP sous media/cooperatives/), chacune décrite en arabe et en "
        "français. Voir docs/contributing-content.md pour la taille et les droits.",
        "صور (JPEG أو PNG أو WebP في media/cooperatives/)، كل صورة بوصفها بالعربية والفرنسية. "
        "انظر docs/contributing-content.md للحجم والحقوق.",
    ),
    "body.coop": ("Notre histoire", "قصتنا"),
    "body.idea": ("L'idée", "الفكرة"),
    "body.lesson": ("Cette leçon est en préparation.", "هذا الدرس قيد الإعداد."),
    "c.product.head": (
        "Le produit {id}, créé avec `taawun new product`.\n"
        "Sa description est dans {id}.ar.md et {id}.fr.md, à côté de ce fichier (Markdown).",
        "المنتج {id}، أنشئ بالأمر `taawun new product`.\n"
        "وصفه في {id}.ar.md و {id}.fr.md بجانب هذا الملف (Markdown).",
    ),
    "c.product.cooperative": (
        "la coopérative qui le vend : le fichier est dans son dossier",
        "التعاونية التي تبيعه: الملف في مجلدها",
    ),
    "c.product.name": ("Le nom, en arabe et en français.", "الاسم بالعربية والفرنسية."),
    "c.product.summary": (
        "Une phrase qui décrit le produit (dans les listes et la recherche).",
        "جملة تصف المنتج (في القوائم والبحث).",
    ),
    "c.product.category": ("la catégorie (data/categories.yaml)", "الصنف (data/categories.yaml)"),
    "c.product.price": (
        "le prix en dirhams, toutes taxes comprises, entre guillemets",
        "الثمن بالدرهم شاملا الضرائب، بين علامتي تنصيص",
    ),
    "c.product.quantity": (
        "la quantité nette écrite sur l'étiquette (unités : ml, l, g, kg, piece)",
        "الكمية الصافية المكتوبة على الملصق (الوحدات: ml، l، g، kg، piece)",
    ),
    "c.product.variants": (
        "D'autres tailles, chacune avec sa référence (sku) et son prix :",
        "أحجام أخرى، لكل منها مرجع (sku) وثمن:",
    ),
    "c.product.availability": (
        "in_stock (en stock), made_to_order (sur commande), seasonal (avec season), sold_out",
        "in_stock (متوفر)، made_to_order (حسب الطلب)، seasonal (مع season)، sold_out (نفد)",
    ),
    "c.product.stock": ("le nombre d'unités à vendre", "عدد الوحدات المعروضة للبيع"),
    "c.product.weight": (
        "le poids du colis en grammes, emballage compris (pour la livraison)",
        "وزن الطرد بالغرام مع التغليف (للتوصيل)",
    ),
    "c.product.onssa": ("le numéro ONSSA de ce produit", "رقم أونسا لهذا المنتج"),
    "c.product.more": (
        "Facultatif : ingrédients et allergènes (alimentaire), durée de conservation en jours, "
        "labels certifiés de la coopérative.",
        "اختياري: المكونات ومسببات الحساسية (للغذاء)، ومدة الصلاحية بالأيام، والعلامات المعتمدة "
        "للتعاونية.",
    ),
    "c.product.images": (
        "Les photos (1 à 12), chacune décrite en arabe et en français (alt). Mettez-les dans "
        "media/products/{coop}/.",
        "الصور (من 1 إلى 12)، كل صورة بوصفها بالعربية والفرنسية (alt). ضعها في media/products/{coop}/.",
    ),
    "product.alt": ("Illustration : {category}", "رسم توضيحي: {category}"),
    "c.product.published": ("la date de mise en ligne", "تاريخ النشر"),
    "c.idea.head": (
        "L'idée de projet {id}, créée avec `taawun new idea` (voir docs/projects.md).\n"
        "Son texte (contexte, marché) est dans {id}.ar.md et {id}.fr.md (Markdown).",
        "فكرة المشروع {id}، أنشئت بالأمر `taawun new idea` (انظر docs/projects.md).\n"
        "نصها (السياق والسوق) في {id}.ar.md و {id}.fr.md (Markdown).",
    ),
    "c.idea.title": (
        "Le titre et le résumé, en arabe et en français.",
        "العنوان والملخص بالعربية والفرنسية.",
    ),
    "c.idea.where": (
        "Le secteur, la filière, les régions (une liste) et pourquoi là.",
        "القطاع وسلسلة الإنتاج والجهات (قائمة) ولماذا هناك.",
    ),
    "c.idea.groups": ("parmi : {groups}", "من بين: {groups}"),
    "c.idea.members": ("le nombre de membres minimum", "أقل عدد من الأعضاء"),
    "c.idea.investment": (
        "L'investissement : une ligne par achat, en dirhams ; le total est calculé.",
        "الاستثمار: سطر لكل شراء، بالدرهم؛ المجموع يُحسب تلقائيا.",
    ),
    "c.idea.working-capital": ("le fonds de roulement", "رأس المال العامل"),
    "c.idea.funding": (
        "Les financements possibles (data/funding.yaml) :",
        "مصادر التمويل الممكنة (data/funding.yaml):",
    ),
    "c.idea.jobs": (
        "Les emplois : directs, indirects, part des femmes et des jeunes en %.",
        "مناصب الشغل: المباشرة وغير المباشرة وحصة النساء والشباب بالمائة.",
    ),
    "c.idea.market": ("Le marché : qui achète.", "السوق: من يشتري."),
    "c.idea.more": (
        "Facultatif : démarches administratives, cours de l'académie utiles.",
        "اختياري: الإجراءات الإدارية، ودورات الأكاديمية المفيدة.",
    ),
    "c.idea.steps": ("Les étapes pour réaliser le projet.", "مراحل إنجاز المشروع."),
    "c.idea.source": (
        "D'où vient l'idée : ideathon, cri, indh, odco ou taawun ; une référence ; l'année.",
        "مصدر الفكرة: ideathon أو cri أو indh أو odco أو taawun؛ مرجع؛ السنة.",
    ),
    "c.idea.reviewed": ("la date de la dernière relecture", "تاريخ آخر مراجعة"),
    "step.group": ("Constitution du groupe", "تكوين المجموعة"),
    "step.study": ("Étude de faisabilité", "دراسة الجدوى"),
    "step.register": ("Immatriculation au registre", "التسجيل في السجل"),
    "c.course.head": (
        "Le cours {id}, créé avec `taawun new course` (voir docs/academy.md).\n"
        "Ajoutez une leçon avec `taawun new lesson`.",
        "الدورة {id}، أنشئت بالأمر `taawun new course` (انظر docs/academy.md).\n"
        "أضف درسا بالأمر `taawun new lesson`.",
    ),
    "c.course.audience": ("pour qui, parmi : {values}", "لمن، من بين: {values}"),
    "c.course.level": (
        "beginner, intermediate ou advanced",
        "beginner أو intermediate أو advanced",
    ),
    "c.course.languages": ("les langues des textes des leçons", "لغات نصوص الدروس"),
    "c.course.duration": (
        "la durée totale en minutes ; mettez-la à jour quand vous ajoutez des leçons",
        "المدة الإجمالية بالدقائق؛ حدّثها عند إضافة دروس",
    ),
    "c.course.outcomes": (
        "Ce que l'apprenant saura faire à la fin (une ligne par savoir-faire).",
        "ما سيعرف المتعلم فعله في النهاية (سطر لكل مهارة).",
    ),
    "c.course.modules": (
        "les modules dans l'ordre : un dossier chacun",
        "الوحدات بالترتيب: مجلد لكل وحدة",
    ),
    "c.course.certificate": (
        "l'attestation : activez-la (true) quand les leçons ont un quiz",
        "الشهادة: فعّلها (true) عندما تكون للدروس اختبارات",
    ),
    "c.course.license": ("la licence des textes", "ترخيص النصوص"),
    "c.course.version": (
        "augmentez-la quand le cours change beaucoup",
        "زدها عندما تتغير الدورة كثيرا",
    ),
    "c.course.updated": ("la date de la dernière mise à jour", "تاريخ آخر تحديث"),
    "c.course.image": ("Facultatif : une image pour le cours.", "اختياري: صورة للدورة."),
    "c.module.head": ("Le module {id}.", "الوحدة {id}."),
    "c.module.id": ("le nom de son dossier", "اسم مجلدها"),
    "c.module.summary": ("Facultatif : un résumé.", "اختياري: ملخص."),
    "c.module.lessons": (
        "les leçons dans l'ordre : un fichier <id>.yaml chacune",
        "الدروس بالترتيب: ملف <id>.yaml لكل درس",
    ),
    "c.lesson.head": (
        "La leçon {id}, créée avec `taawun new lesson`.\n"
        "Son texte est dans {id}.ar.md et {id}.fr.md, à côté de ce fichier (Markdown) : "
        "remplacez la phrase d'attente.",
        "الدرس {id}، أنشئ بالأمر `taawun new lesson`.\n"
        "نصه في {id}.ar.md و {id}.fr.md بجانب هذا الملف (Markdown): عوّض الجملة المؤقتة.",
    ),
    "c.lesson.id": (
        "l'identifiant : le nom du fichier et l'adresse de la page",
        "المعرّف: اسم الملف وعنوان الصفحة",
    ),
    "c.lesson.type": ("text, audio, video ou activity", "text أو audio أو video أو activity"),
    "c.lesson.minutes": (
        "minutes pour lire et répondre au quiz",
        "الدقائق اللازمة للقراءة والإجابة عن الاختبار",
    ),
    "c.lesson.quiz": (
        "Facultatif : un quiz (types single, multi, true_false, order ; voir docs/academy.md).",
        "اختياري: اختبار (أسئلة من الأنواع single وmulti وtrue_false وorder؛ انظر docs/academy.md).",
    ),
}


def text(lang: str, key: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` ("ar" or "fr"), with ``values`` filled in."""
    french, arabic = TEXTS[key]
    return (arabic if lang == "ar" else french).format(**values)
