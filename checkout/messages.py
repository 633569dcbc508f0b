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
    return names[lang] if names else field


def money(centimes: int, lang: str) -> str:
    whole, cents = divmod(centimes, 100)
    if lang == "en":
        return f"{whole:,}.{cents:02d} MAD"
    grouped = f"{whole:,}".replace(",", "\u202f")  # narrow no-break space, as fr-MA does
    return f"{grouped},{cents:02d} " + ("د.م." if lang == "ar" else "MAD")


def say(key: str, lang: str, field: str | None = None, **values: Any) -> str:
    templates = MESSAGES.get(key) or MESSAGES["invalid.other"]
    return templates[language(lang)].format(field=field_name(field, language(lang)), **values)
