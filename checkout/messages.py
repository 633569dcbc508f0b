"""What the service says to a buyer when it refuses an order, in the buyer's language.

Every refusal has a stable ``code`` for programs and a ``message`` for people: Arabic, French
or English (Amazigh falls back to Arabic, as the site's interface does). A message names the
field in words ("Téléphone : …", "السطر 2: …") and says what to do. Templates take named
values; amounts are centimes and are written as dirhams.
"""

from __future__ import annotations

import re
from typing import Any

LANGUAGES = ("ar", "fr", "en")
FALLBACK = {"zgh": "ar"}

FIELDS: dict[str, dict[str, str]] = {
    "lines": {"en": "Order", "fr": "Commande", "ar": "الطلب"},
    "line": {"en": "Line {n}", "fr": "Ligne {n}", "ar": "السطر {n}"},
    "buyer": {"en": "Your details", "fr": "Vos coordonnées", "ar": "بياناتك"},
    "buyer.name": {"en": "Name", "fr": "Nom", "ar": "الاسم"},
    "buyer.phone": {"en": "Phone", "fr": "Téléphone", "ar": "الهاتف"},
    "buyer.region": {"en": "Region", "fr": "Région", "ar": "الجهة"},
    "buyer.city": {"en": "City", "fr": "Ville", "ar": "المدينة"},
    "buyer.address": {"en": "Address", "fr": "Adresse", "ar": "العنوان"},
    "buyer.email": {"en": "E-mail", "fr": "E-mail", "ar": "البريد الإلكتروني"},
    "payment": {"en": "Payment", "fr": "Paiement", "ar": "الأداء"},
    "lang": {"en": "Language", "fr": "Langue", "ar": "اللغة"},
    "consent": {"en": "Consent", "fr": "Consentement", "ar": "الموافقة"},
    "expected_total": {"en": "Total", "fr": "Total", "ar": "المجموع"},
}

# The words of a submission's fields (POST /api/submissions): a dotted path such as
# ``product.name.fr`` is named part by part, "Produit › Nom › en français".
SUBMISSION_WORDS: dict[str, dict[str, str]] = {
    "submission": {"en": "Form", "fr": "Formulaire", "ar": "الاستمارة"},
    "lang": {"en": "Language", "fr": "Langue", "ar": "اللغة"},
    "cooperative_id": {
        "en": "Your cooperative's id",
        "fr": "Identifiant de votre coopérative",
        "ar": "معرّف تعاونيتك",
    },
    "cooperative": {"en": "Cooperative", "fr": "Coopérative", "ar": "التعاونية"},
    "product": {"en": "Product", "fr": "Produit", "ar": "المنتج"},
    "photos": {"en": "Photos", "fr": "Photos", "ar": "الصور"},
    "contact": {"en": "Person to call", "fr": "Personne à appeler", "ar": "الشخص الذي نتصل به"},
    "consent": {"en": "Consent", "fr": "Consentement", "ar": "الموافقة"},
    "name": {"en": "Name", "fr": "Nom", "ar": "الاسم"},
    "summary": {"en": "Summary", "fr": "Résumé", "ar": "الملخص"},
    "description": {"en": "Description", "fr": "Description", "ar": "الوصف"},
    "alt": {"en": "What the photo shows", "fr": "Ce que montre la photo", "ar": "ما تُظهره الصورة"},
    "kind": {"en": "Kind", "fr": "Type", "ar": "النوع"},
    "register": {
        "en": "Cooperatives register",
        "fr": "Registre des coopératives",
        "ar": "سجل التعاونيات",
    },
    "number": {"en": "Number", "fr": "Numéro", "ar": "الرقم"},
    "court": {"en": "Court", "fr": "Tribunal", "ar": "المحكمة"},
    "date": {"en": "Date", "fr": "Date", "ar": "التاريخ"},
    "sector": {"en": "Sector", "fr": "Secteur", "ar": "القطاع"},
    "region": {"en": "Region", "fr": "Région", "ar": "الجهة"},
    "province": {"en": "Province", "fr": "Province", "ar": "الإقليم"},
    "commune": {"en": "Commune", "fr": "Commune", "ar": "الجماعة"},
    "founded": {"en": "Founded on", "fr": "Date de création", "ar": "تاريخ التأسيس"},
    "members": {"en": "Members", "fr": "Membres", "ar": "الأعضاء"},
    "total": {"en": "Total", "fr": "Total", "ar": "المجموع"},
    "women": {"en": "Women", "fr": "Femmes", "ar": "النساء"},
    "youth": {"en": "Young people", "fr": "Jeunes", "ar": "الشباب"},
    "as_of": {"en": "Counted on", "fr": "Compté le", "ar": "بتاريخ"},
    "phone": {"en": "Phone", "fr": "Téléphone", "ar": "الهاتف"},
    "whatsapp": {"en": "WhatsApp", "fr": "WhatsApp", "ar": "واتساب"},
    "email": {"en": "E-mail", "fr": "E-mail", "ar": "البريد الإلكتروني"},
    "languages": {"en": "Languages", "fr": "Langues", "ar": "اللغات"},
    "role": {"en": "Role", "fr": "Fonction", "ar": "الصفة"},
    "delivery": {"en": "Delivery", "fr": "Livraison", "ar": "التوصيل"},
    "zones": {"en": "Delivery area", "fr": "Zone de livraison", "ar": "منطقة التوصيل"},
    "fee": {"en": "Delivery fee", "fr": "Frais de livraison", "ar": "مصاريف التوصيل"},
    "free_from": {"en": "Free from", "fr": "Offerte à partir de", "ar": "مجانا ابتداء من"},
    "cod": {"en": "Cash on delivery", "fr": "Paiement à la livraison", "ar": "الدفع عند التسليم"},
    "cod_max": {
        "en": "Cash on delivery up to",
        "fr": "Paiement à la livraison jusqu'à",
        "ar": "الدفع عند التسليم حتى",
    },
    "pickup": {"en": "Pick-up", "fr": "Retrait sur place", "ar": "الاستلام من عين المكان"},
    "lead_time_days": {"en": "Lead time (days)", "fr": "Délai (jours)", "ar": "المدة (بالأيام)"},
    "category": {"en": "Category", "fr": "Catégorie", "ar": "الصنف"},
    "price": {"en": "Price", "fr": "Prix", "ar": "الثمن"},
    "net_quantity": {"en": "Net quantity", "fr": "Quantité nette", "ar": "الكمية الصافية"},
    "value": {"en": "Amount", "fr": "Valeur", "ar": "القيمة"},
    "unit": {"en": "Unit", "fr": "Unité", "ar": "الوحدة"},
    "availability": {"en": "Availability", "fr": "Disponibilité", "ar": "التوفر"},
    "stock": {"en": "Stock", "fr": "Stock", "ar": "المخزون"},
    "season": {"en": "Season", "fr": "Saison", "ar": "الموسم"},
    "weight_g": {"en": "Weight (g)", "fr": "Poids (g)", "ar": "الوزن (غ)"},
    "shelf_life_days": {
        "en": "Shelf life (days)",
        "fr": "Durée de conservation (jours)",
        "ar": "مدة الصلاحية (بالأيام)",
    },
    "onssa_number": {"en": "ONSSA number", "fr": "Numéro ONSSA", "ar": "رقم أونسا"},
    "tags": {"en": "Keywords", "fr": "Mots-clés", "ar": "الكلمات المفتاحية"},
    "ar": {"en": "in Arabic", "fr": "en arabe", "ar": "بالعربية"},
    "fr": {"en": "in French", "fr": "en français", "ar": "بالفرنسية"},
    "zgh": {"en": "in Amazigh", "fr": "en amazighe", "ar": "بالأمازيغية"},
    "en": {"en": "in English", "fr": "en anglais", "ar": "بالإنجليزية"},
    # A list's n-th entry (from 1), and a photo.
    "item": {"en": "no. {n}", "fr": "n° {n}", "ar": "رقم {n}"},
    "photo": {"en": "Photo {n}", "fr": "Photo {n}", "ar": "الصورة {n}"},
}

MESSAGES: dict[str, dict[str, str]] = {
    # The request as a whole.
    "origin_not_allowed": {
        "en": "Orders are taken from the site only.",
        "fr": "Les commandes se passent sur le site uniquement.",
        "ar": "تُقبل الطلبات من الموقع فقط.",
    },
    "too_many_requests": {
        "en": "Too many orders from this connection; wait a minute and try again.",
        "fr": "Trop de commandes depuis cette connexion ; attendez une minute et réessayez.",
        "ar": "طلبات كثيرة من هذا الاتصال؛ انتظر دقيقة ثم أعد المحاولة.",
    },
    "unsupported_media_type": {
        "en": "Send the order as application/json.",
        "fr": "Envoyez la commande en application/json.",
        "ar": "أرسل الطلب بصيغة application/json.",
    },
    "too_large": {
        "en": "The request is larger than {limit} bytes; send a smaller order.",
        "fr": "La requête dépasse {limit} octets ; envoyez une commande plus petite.",
        "ar": "الطلب أكبر من {limit} بايت؛ أرسل طلبا أصغر.",
    },
    "malformed_json": {
        "en": "The request body is not valid JSON.",
        "fr": "Le corps de la requête n'est pas du JSON valide.",
        "ar": "محتوى الطلب ليس JSON صالحا.",
    },
    "not_object": {
        "en": "The order must be a JSON object.",
        "fr": "La commande doit être un objet JSON.",
        "ar": "يجب أن يكون الطلب كائن JSON.",
    },
    "bad_idempotency_key": {
        "en": "Idempotency-Key must be 1 to 100 characters.",
        "fr": "Idempotency-Key doit compter de 1 à 100 caractères.",
        "ar": "يجب أن يتكون Idempotency-Key من 1 إلى 100 حرف.",
    },
    "idempotency_key_reused": {
        "en": "This Idempotency-Key was already used for a different order; send a new key.",
        "fr": "Cette Idempotency-Key a déjà servi pour une autre commande ; envoyez-en une nouvelle.",
        "ar": "سبق استعمال Idempotency-Key هذا لطلب آخر؛ أرسل مفتاحا جديدا.",
    },
    "unavailable": {
        "en": "The order service cannot reach its database; nothing was stored. Try again "
        "in a minute.",
        "fr": "Le service de commande ne joint pas sa base de données ; rien n'a été "
        "enregistré. Réessayez dans une minute.",
        "ar": "تعذر على خدمة الطلبات الوصول إلى قاعدة بياناتها؛ لم يُسجَّل شيء. أعد "
        "المحاولة بعد دقيقة.",
    },
    "not_found": {
        "en": "No order with this number and token.",
        "fr": "Aucune commande avec ce numéro et ce jeton.",
        "ar": "لا يوجد طلب بهذا الرقم وهذا الرمز.",
    },
    "bad_sku_query": {
        "en": "Ask for 1 to 100 SKUs: ?sku=…&sku=…",
        "fr": "Demandez de 1 à 100 références : ?sku=…&sku=…",
        "ar": "اطلب من 1 إلى 100 مرجع: ?sku=…&sku=…",
    },
    "bad_signature": {
        "en": "The event's signature does not verify; it was ignored.",
        "fr": "La signature de l'événement n'est pas valide ; il a été ignoré.",
        "ar": "توقيع الحدث غير صالح؛ تم تجاهله.",
    },
    "no_card_payments": {
        "en": "Card payments are not set up on this service.",
        "fr": "Le paiement par carte n'est pas configuré sur ce service.",
        "ar": "الأداء بالبطاقة غير مفعّل في هذه الخدمة.",
    },
    # One field (``{field}`` is its name in words).
    "too_many_lines": {
        "en": "{field}: at most {max} different products per order; this one has {count}. "
        "Split it into two orders.",
        "fr": "{field} : {max} produits différents au plus par commande ; celle-ci en a "
        "{count}. Faites-en deux.",
        "ar": "{field}: {max} منتجا مختلفا على الأكثر في الطلب الواحد، وفي هذا الطلب "
        "{count}. قسّمه إلى طلبين.",
    },
    "consent_required": {
        "en": "{field}: tick the box that agrees to the use of your details for this order "
        "(law 09-08).",
        "fr": "{field} : cochez la case qui accepte l'utilisation de vos coordonnées pour "
        "cette commande (loi 09-08).",
        "ar": "{field}: ضع علامة في خانة الموافقة على استعمال بياناتك لهذا الطلب (القانون 09-08).",
    },
    "unknown_region": {
        "en": "{field}: choose your region from the list.",
        "fr": "{field} : choisissez votre région dans la liste.",
        "ar": "{field}: اختر جهتك من القائمة.",
    },
    "card_unavailable": {
        "en": "{field}: card payment is not available on this site; choose cash on delivery.",
        "fr": "{field} : le paiement par carte n'est pas proposé sur ce site ; choisissez le "
        "paiement à la livraison.",
        "ar": "{field}: الأداء بالبطاقة غير متاح في هذا الموقع؛ اختر الأداء عند التسليم.",
    },
    "unknown_sku": {
        "en": "{field}: {sku!r} is not in the catalogue (it may have been withdrawn). Remove "
        "it from the cart.",
        "fr": "{field} : {sku!r} n'est pas au catalogue (il a peut-être été retiré). "
        "Retirez-le du panier.",
        "ar": "{field}: {sku!r} غير موجود في الفهرس (ربما سُحب). احذفه من السلة.",
    },
    "sold_out": {
        "en": "{field}: {product} is sold out. Remove it from the cart.",
        "fr": "{field} : {product} est épuisé. Retirez-le du panier.",
        "ar": "{field}: نفد {product}. احذفه من السلة.",
    },
    "over_limit": {
        "en": "{field}: at most {max} of {product} per order.",
        "fr": "{field} : {max} au plus de {product} par commande.",
        "ar": "{field}: {max} على الأكثر من {product} في الطلب الواحد.",
    },
    "unavailable_item": {
        "en": "{field}: {product} cannot be ordered at the moment.",
        "fr": "{field} : {product} ne peut pas être commandé pour le moment.",
        "ar": "{field}: لا يمكن طلب {product} حاليا.",
    },
    "out_of_stock": {
        "en": "{field}: {product}, only {left} left. Lower the quantity or remove it.",
        "fr": "{field} : {product}, plus que {left} en stock. Baissez la quantité ou retirez-le.",
        "ar": "{field}: {product}، بقي {left} فقط. قلّل الكمية أو احذفه.",
    },
    "none_left": {
        "en": "{field}: {product}, none left. Remove it from the cart.",
        "fr": "{field} : {product}, il n'en reste plus. Retirez-le du panier.",
        "ar": "{field}: {product}، لم يبق شيء. احذفه من السلة.",
    },
    "outside_delivery_zone": {
        "en": "{field}: {cooperative} does not deliver to {region}; it delivers to {zones}. "
        "Remove its products or send them to an address there.",
        "fr": "{field} : {cooperative} ne livre pas en {region} ; elle livre en {zones}. "
        "Retirez ses produits ou faites-les livrer à une adresse là-bas.",
        "ar": "{field}: {cooperative} لا توصل إلى {region}؛ توصل إلى {zones}. احذف "
        "منتجاتها أو أرسلها إلى عنوان هناك.",
    },
    "cod_unavailable": {
        "en": "{field}: {cooperative} does not take cash on delivery; {instead}",
        "fr": "{field} : {cooperative} ne prend pas le paiement à la livraison ; {instead}",
        "ar": "{field}: {cooperative} لا تقبل الأداء عند التسليم؛ {instead}",
    },
    "cod_cap": {
        "en": "{field}: {cooperative} takes cash on delivery up to {cap}; its part of this "
        "order is {amount}. {instead}",
        "fr": "{field} : {cooperative} accepte le paiement à la livraison jusqu'à {cap} ; sa "
        "part de cette commande est de {amount}. {instead}",
        "ar": "{field}: {cooperative} تقبل الأداء عند التسليم حتى {cap}، ونصيبها من هذا "
        "الطلب {amount}. {instead}",
    },
    "instead_card": {"en": "pay by card.", "fr": "payez par carte.", "ar": "ادفع بالبطاقة."},
    "instead_contact": {
        "en": "contact it to order.",
        "fr": "contactez-la pour commander.",
        "ar": "اتصل بها للطلب.",
    },
    "instead_card_or_less": {
        "en": "Pay by card or order less.",
        "fr": "Payez par carte ou commandez moins.",
        "ar": "ادفع بالبطاقة أو اطلب أقل.",
    },
    "instead_less": {"en": "Order less.", "fr": "Commandez moins.", "ar": "اطلب أقل."},
    "prices_changed": {
        "en": "Prices changed since your cart was shown: the total is now {total}, not "
        "{seen}. Check your cart and send the order again.",
        "fr": "Les prix ont changé depuis l'affichage de votre panier : le total est "
        "maintenant de {total}, et non {seen}. Vérifiez votre panier et renvoyez la commande.",
        "ar": "تغيرت الأسعار منذ عرض سلتك: المجموع الآن {total} وليس {seen}. راجع سلتك "
        "وأرسل الطلب من جديد.",
    },
    "payment_unavailable": {
        "en": "{field}: the card payment page could not be opened; nothing was charged and "
        "the products are back on sale. Try again, or choose cash on delivery.",
        "fr": "{field} : la page de paiement par carte n'a pas pu s'ouvrir ; rien n'a été "
        "débité et les produits sont de nouveau en vente. Réessayez, ou choisissez le "
        "paiement à la livraison.",
        "ar": "{field}: تعذر فتح صفحة الأداء بالبطاقة؛ لم يُقتطع أي مبلغ وعادت المنتجات "
        "للبيع. أعد المحاولة أو اختر الأداء عند التسليم.",
    },
    # The "sell with us" form (POST /api/submissions). ``{field}`` names the field in words.
    "submission.origin_not_allowed": {
        "en": "Listings are proposed through the site's form only.",
        "fr": "Les produits se proposent uniquement par le formulaire du site.",
        "ar": "تُقترح المنتجات عبر استمارة الموقع فقط.",
    },
    "submission.too_many_requests": {
        "en": "Several forms were already sent from this connection; wait {minutes} min and "
        "send it again. Nothing you typed is lost if you keep this page open.",
        "fr": "Plusieurs formulaires ont déjà été envoyés depuis cette connexion ; attendez "
        "{minutes} min et renvoyez-le. Rien n'est perdu si vous gardez cette page ouverte.",
        "ar": "أُرسلت عدة استمارات من هذا الاتصال؛ انتظر {minutes} من الدقائق ثم أعد الإرسال. "
        "لن يضيع شيء مما كتبته إذا أبقيت هذه الصفحة مفتوحة.",
    },
    "submission.unsupported_media_type": {
        "en": "Send the form as multipart/form-data, with the photos as files.",
        "fr": "Envoyez le formulaire en multipart/form-data, avec les photos en fichiers.",
        "ar": "أرسل الاستمارة بصيغة multipart/form-data، مع الصور كملفات.",
    },
    "submission.too_large": {
        "en": "The form and its photos come to more than {megabytes} MB; send fewer or "
        "smaller photos.",
        "fr": "Le formulaire et ses photos dépassent {megabytes} Mo ; envoyez moins de photos "
        "ou des photos plus petites.",
        "ar": "حجم الاستمارة وصورها أكبر من {megabytes} ميغابايت؛ أرسل صورا أقل أو أصغر.",
    },
    "submission.bad_form": {
        "en": "The form could not be read (broken multipart data); reload the page and send "
        "it again.",
        "fr": "Le formulaire n'a pas pu être lu (données multipart abîmées) ; rechargez la page "
        "et renvoyez-le.",
        "ar": "تعذرت قراءة الاستمارة (بيانات multipart تالفة)؛ أعد تحميل الصفحة وأرسلها من جديد.",
    },
    "submission.missing_part": {
        "en": "{field}: missing from the request; send the form's data as the `submission` "
        "part (JSON text).",
        "fr": "{field} : absent de la requête ; envoyez les données du formulaire dans la "
        "partie `submission` (texte JSON).",
        "ar": "{field}: غير موجود في الطلب؛ أرسل بيانات الاستمارة في الجزء `submission` (نص JSON).",
    },
    "submission.text_too_large": {
        "en": "{field}: the texts come to more than {kilobytes} KB; shorten the descriptions.",
        "fr": "{field} : les textes dépassent {kilobytes} Ko ; raccourcissez les descriptions.",
        "ar": "{field}: النصوص أكبر من {kilobytes} كيلوبايت؛ اختصر الأوصاف.",
    },
    "submission.malformed_json": {
        "en": "{field}: not valid JSON; reload the page and send the form again.",
        "fr": "{field} : ce n'est pas du JSON valide ; rechargez la page et renvoyez le "
        "formulaire.",
        "ar": "{field}: ليس JSON صالحا؛ أعد تحميل الصفحة وأرسل الاستمارة من جديد.",
    },
    "submission.not_object": {
        "en": "{field}: must be a JSON object with named fields.",
        "fr": "{field} : doit être un objet JSON avec des champs nommés.",
        "ar": "{field}: يجب أن يكون كائن JSON بحقول مسماة.",
    },
    "submission.too_many_photos": {
        "en": "{field}: at most {max} photos; remove the extra ones.",
        "fr": "{field} : {max} photos au plus ; retirez celles en trop.",
        "ar": "{field}: {max} صور على الأكثر؛ احذف الزائدة.",
    },
    "submission.photo_count": {
        "en": "{field}: photos described: {described}; files sent: {sent}. Give each photo "
        "its description, and each description its photo.",
        "fr": "{field} : photos décrites : {described} ; fichiers envoyés : {sent}. Donnez à "
        "chaque photo sa description, et à chaque description sa photo.",
        "ar": "{field}: عدد الصور الموصوفة {described}، وعدد الملفات المرسلة {sent}. أعط كل "
        "صورة وصفها، وكل وصف صورته.",
    },
    "submission.photo_type": {
        "en": "{field}: this file is not a JPEG, PNG or WebP photo. Choose a photo taken "
        "with a phone or a camera.",
        "fr": "{field} : ce fichier n'est pas une photo JPEG, PNG ou WebP. Choisissez une photo "
        "prise avec un téléphone ou un appareil photo.",
        "ar": "{field}: هذا الملف ليس صورة JPEG أو PNG أو WebP. اختر صورة ملتقطة بالهاتف أو "
        "بآلة التصوير.",
    },
    "submission.photo_too_large": {
        "en": "{field}: larger than {megabytes} MB; choose a smaller photo, or send it "
        "from the phone's gallery (which makes it smaller).",
        "fr": "{field} : plus de {megabytes} Mo ; choisissez une photo plus petite, ou "
        "envoyez-la depuis la galerie du téléphone (qui la réduit).",
        "ar": "{field}: أكبر من {megabytes} ميغابايت؛ اختر صورة أصغر، أو أرسلها من معرض "
        "صور الهاتف (الذي يصغّرها).",
    },
    "submission.photo_too_many_pixels": {
        "en": "{field}: more than {megapixels} megapixels; choose a smaller photo.",
        "fr": "{field} : plus de {megapixels} mégapixels ; choisissez une photo plus petite.",
        "ar": "{field}: أكثر من {megapixels} ميغابكسل؛ اختر صورة أصغر.",
    },
    "submission.unknown_cooperative": {
        "en": "{field}: no cooperative with this id on the site. Copy it from your "
        "cooperative's page address, or fill in your cooperative's details instead.",
        "fr": "{field} : aucune coopérative n'a cet identifiant sur le site. Copiez-le depuis "
        "l'adresse de la page de votre coopérative, ou remplissez plutôt ses informations.",
        "ar": "{field}: لا توجد تعاونية بهذا المعرّف في الموقع. انسخه من عنوان صفحة تعاونيتك، "
        "أو املأ معلومات تعاونيتك بدلا منه.",
    },
    "submission.unknown_choice": {
        "en": "{field}: not one of the site's choices; choose one from the list.",
        "fr": "{field} : ce n'est pas un des choix du site ; choisissez dans la liste.",
        "ar": "{field}: ليس من اختيارات الموقع؛ اختر من القائمة.",
    },
    "submission.unknown_province": {
        "en": "{field}: not a province of the region you chose; choose one from the list, "
        "or change the region.",
        "fr": "{field} : ce n'est pas une province de la région choisie ; choisissez dans la "
        "liste, ou changez de région.",
        "ar": "{field}: ليس من أقاليم الجهة التي اخترتها؛ اختر من القائمة أو غيّر الجهة.",
    },
    "submission.consent": {
        "en": "{field}: tick the box that agrees to us keeping this listing and calling "
        "you back about it (law 09-08).",
        "fr": "{field} : cochez la case qui accepte que nous gardions cette fiche et vous "
        "rappelions à son sujet (loi 09-08).",
        "ar": "{field}: ضع علامة في خانة الموافقة على حفظ هذه البطاقة والاتصال بك بشأنها "
        "(القانون 09-08).",
    },
    "submission.cooperative_choice": {
        "en": "{field}: give either the id of your cooperative already on the site, or its "
        "details, not both.",
        "fr": "{field} : donnez soit l'identifiant de votre coopérative déjà présente sur le "
        "site, soit ses informations, pas les deux.",
        "ar": "{field}: أعط إما معرّف تعاونيتك الموجودة في الموقع، وإما معلوماتها، لا الاثنين.",
    },
    "submission.unknown_field": {
        "en": "{field}: not a field of the form; remove it.",
        "fr": "{field} : ce champ n'existe pas dans le formulaire ; retirez-le.",
        "ar": "{field}: هذا الحقل غير موجود في الاستمارة؛ احذفه.",
    },
    "submission.too_short": {
        "en": "{field}: add at least {min_length}.",
        "fr": "{field} : ajoutez-en au moins {min_length}.",
        "ar": "{field}: أضف {min_length} على الأقل.",
    },
    "submission.too_long": {
        "en": "{field}: at most {max_length}; remove some.",
        "fr": "{field} : {max_length} au plus ; retirez-en.",
        "ar": "{field}: {max_length} على الأكثر؛ احذف بعضها.",
    },
    "submission.list_type": {
        "en": "{field}: must be a list.",
        "fr": "{field} : doit être une liste.",
        "ar": "{field}: يجب أن يكون قائمة.",
    },
    "submission.number": {
        "en": "{field}: must be a number, like 250.",
        "fr": "{field} : doit être un nombre, par exemple 250.",
        "ar": "{field}: يجب أن يكون عددا، مثل 250.",
    },
    "submission.greater_than": {
        "en": "{field}: must be more than {gt}.",
        "fr": "{field} : doit être supérieur à {gt}.",
        "ar": "{field}: يجب أن يكون أكبر من {gt}.",
    },
    "submission.less_than": {
        "en": "{field}: must be less than {lt}.",
        "fr": "{field} : doit être inférieur à {lt}.",
        "ar": "{field}: يجب أن يكون أصغر من {lt}.",
    },
    "submission.date": {
        "en": "{field}: not a date; write it as year-month-day, like 2024-03-15.",
        "fr": "{field} : ce n'est pas une date ; écrivez-la année-mois-jour, par exemple "
        "2024-03-15.",
        "ar": "{field}: ليس تاريخا؛ اكتبه سنة-شهر-يوم، مثل 2024-03-15.",
    },
    "submission.slug": {
        "en": "{field}: not a valid id; use lower-case letters a-z, digits and single "
        "hyphens, like argan-tamanar.",
        "fr": "{field} : identifiant non valide ; utilisez des minuscules a-z, des chiffres et "
        "des tirets simples, comme argan-tamanar.",
        "ar": "{field}: معرّف غير صالح؛ استعمل حروفا لاتينية صغيرة a-z وأرقاما وشرطات مفردة، "
        "مثل argan-tamanar.",
    },
    "submission.money": {
        "en": '{field}: not an amount in dirhams; write it like "120.00".',
        "fr": "{field} : ce n'est pas un montant en dirhams ; écrivez-le comme « 120.00 ».",
        "ar": "{field}: ليس مبلغا بالدرهم؛ اكتبه هكذا: 120.00.",
    },
    "submission.control_character": {
        "en": "{field}: this text holds an invisible control character; type it again "
        "instead of pasting it.",
        "fr": "{field} : ce texte contient un caractère de contrôle invisible ; tapez-le à "
        "nouveau au lieu de le coller.",
        "ar": "{field}: يحتوي هذا النص على حرف تحكم غير مرئي؛ اكتبه من جديد بدل لصقه.",
    },
    "submission.phone": {
        "en": "{field}: write the number with +212 and no spaces, like +212612345678.",
        "fr": "{field} : écrivez le numéro avec +212 et sans espaces, comme +212612345678.",
        "ar": "{field}: اكتب الرقم مع \u200e+212 وبدون فراغات، مثل \u200e+212612345678.",
    },
    "submission.members": {
        "en": "{field}: more than the total number of members; correct one of the two.",
        "fr": "{field} : plus que le nombre total de membres ; corrigez l'un des deux.",
        "ar": "{field}: أكثر من العدد الإجمالي للأعضاء؛ صحّح أحد العددين.",
    },
    "submission.duplicate": {
        "en": "{field}: the same value is listed twice; remove one.",
        "fr": "{field} : la même valeur figure deux fois ; retirez-en une.",
        "ar": "{field}: القيمة نفسها مذكورة مرتين؛ احذف إحداهما.",
    },
    "submission.zones": {
        "en": '{field}: write "national", or list the regions you deliver to.',
        "fr": "{field} : écrivez « national », ou la liste des régions où vous livrez.",
        "ar": "{field}: اكتب «national»، أو قائمة الجهات التي توصل إليها.",
    },
    # A field that does not have the right form (pydantic's error types).
    "invalid.missing": {
        "en": "{field}: required.",
        "fr": "{field} : obligatoire.",
        "ar": "{field}: مطلوب.",
    },
    "invalid.int_type": {
        "en": "{field}: must be a whole number, like 2.",
        "fr": "{field} : doit être un nombre entier, par exemple 2.",
        "ar": "{field}: يجب أن يكون عددا صحيحا، مثل 2.",
    },
    "invalid.greater_than_equal": {
        "en": "{field}: must be at least {ge}.",
        "fr": "{field} : doit valoir au moins {ge}.",
        "ar": "{field}: يجب ألا يقل عن {ge}.",
    },
    "invalid.less_than_equal": {
        "en": "{field}: must be at most {le}.",
        "fr": "{field} : doit valoir au plus {le}.",
        "ar": "{field}: يجب ألا يزيد عن {le}.",
    },
    "invalid.string_type": {
        "en": "{field}: must be text.",
        "fr": "{field} : doit être du texte.",
        "ar": "{field}: يجب أن يكون نصا.",
    },
    "invalid.blank": {
        "en": "{field}: empty; fill it in.",
        "fr": "{field} : vide ; remplissez-le.",
        "ar": "{field}: فارغ؛ املأه.",
    },
    "invalid.string_too_long": {
        "en": "{field}: too long, at most {max_length} characters.",
        "fr": "{field} : trop long, {max_length} caractères au plus.",
        "ar": "{field}: طويل جدا، {max_length} حرفا على الأكثر.",
    },
    "invalid.bool_type": {
        "en": "{field}: must be true or false.",
        "fr": "{field} : doit valoir true ou false.",
        "ar": "{field}: يجب أن تكون القيمة true أو false.",
    },
    "invalid.list_type": {
        "en": "{field}: must be a list of lines.",
        "fr": "{field} : doit être une liste de lignes.",
        "ar": "{field}: يجب أن يكون قائمة أسطر.",
    },
    "invalid.too_short": {
        "en": "{field}: the cart is empty; add a product first.",
        "fr": "{field} : le panier est vide ; ajoutez d'abord un produit.",
        "ar": "{field}: السلة فارغة؛ أضف منتجا أولا.",
    },
    "invalid.model_type": {
        "en": "{field}: must be an object with named fields.",
        "fr": "{field} : doit être un objet avec des champs nommés.",
        "ar": "{field}: يجب أن يكون كائنا بحقول مسماة.",
    },
    "invalid.literal_error": {
        "en": "{field}: must be one of: {expected}.",
        "fr": "{field} : doit être l'une de ces valeurs : {expected}.",
        "ar": "{field}: يجب أن يكون إحدى القيم: {expected}.",
    },
    "invalid.phone": {
        "en": "{field}: not a Moroccan phone number; write it as 06 12 34 56 78 or "
        "+212 6 12 34 56 78.",
        "fr": "{field} : ce n'est pas un numéro marocain ; écrivez-le comme 06 12 34 56 78 "
        "ou +212 6 12 34 56 78.",
        "ar": "{field}: ليس رقما مغربيا؛ اكتبه هكذا 06 12 34 56 78 أو +212 6 12 34 56 78.",
    },
    "invalid.short_address": {
        "en": "{field}: too short for a delivery; give the street, number or place.",
        "fr": "{field} : trop courte pour une livraison ; donnez la rue, le numéro ou le lieu.",
        "ar": "{field}: قصير جدا للتوصيل؛ اذكر الشارع أو الرقم أو المكان.",
    },
    "invalid.email": {
        "en": "{field}: not an e-mail address; correct it or leave it out.",
        "fr": "{field} : ce n'est pas une adresse e-mail ; corrigez-la ou laissez le champ vide.",
        "ar": "{field}: ليس بريدا إلكترونيا صالحا؛ صححه أو اتركه فارغا.",
    },
    "invalid.other": {
        "en": "{field}: not valid.",
        "fr": "{field} : non valide.",
        "ar": "{field}: غير صالح.",
    },
}

_LINE = re.compile(r"^lines\[(\d+)\]")


def language(wanted: str | None) -> str:
    """The language messages are written in for ``wanted`` (a site language, or None)."""
    if wanted in LANGUAGES:
        return wanted
    return FALLBACK.get(wanted or "", "en")


def from_accept_language(header: str | None) -> str:
    """The first of ar, fr, en that an Accept-Language header asks for; English otherwise."""
    for part in (header or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"


def field_name(field: str | None, lang: str) -> str:
    if field is None:
        return ""
    line = _LINE.match(field)
    if line:
        return FIELDS["line"][lang].format(n=int(line.group(1)) + 1)
    names = FIELDS.get(field)
    if names:
        return names[lang]
    return submission_field_name(field, lang)


def submission_field_name(field: str, lang: str) -> str:
    """``photos.0.alt.fr`` → "Photo 1 › Ce que montre la photo › en français". A part the
    catalogue does not know (a misspelt key) is shown as sent, in quotes, cut to 60 characters."""
    words: list[str] = []
    parts = field.split(".")
    for i, part in enumerate(parts):
        if part.isdigit():
            kind = "photo" if i == 1 and parts[0] == "photos" else "item"
            if kind == "photo":
                words.pop()  # "Photo 2" replaces "Photos"
            words.append(SUBMISSION_WORDS[kind][lang].format(n=int(part) + 1))
        elif part in SUBMISSION_WORDS:
            words.append(SUBMISSION_WORDS[part][lang])
        else:
            words.append(f"«{part[:60]}»")
    return " › ".join(words)


def money(centimes: int, lang: str) -> str:
    whole, cents = divmod(centimes, 100)
    if lang == "en":
        return f"{whole:,}.{cents:02d} MAD"
    grouped = f"{whole:,}".replace(",", "\u202f")  # narrow no-break space, as fr-MA does
    return f"{grouped},{cents:02d} " + ("د.م." if lang == "ar" else "MAD")


def say(key: str, lang: str, field: str | None = None, **values: Any) -> str:
    templates = MESSAGES.get(key) or MESSAGES["invalid.other"]
    return templates[language(lang)].format(field=field_name(field, language(lang)), **values)
