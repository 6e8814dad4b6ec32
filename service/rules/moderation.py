"""Moderation rules: obscene words and personal data of private persons block publishing."""

from __future__ import annotations

from collections.abc import Iterator

from service.feedback import Item
from service.moderation.personal_data import Finding, find_personal_data
from service.moderation.profanity import find_profanity, mask
from service.rules.context import Context

PD_TEXT = {
    "snils": ("В тексте номер СНИЛС", "Удалите номер СНИЛС: его нельзя публиковать."),
    "inn": ("В тексте ИНН человека", "Удалите ИНН: это личные данные."),
    "card": ("В тексте номер банковской карты",
             "Уберите номер карты. Для сбора помощи дайте реквизиты организации или ссылку."),
    "passport": ("В тексте серия и номер паспорта",
                 "Уберите серию и номер паспорта: достаточно написать «паспорт на имя Дмитрия З.»."),
    "birth": ("Фамилия и дата рождения человека — это личные данные",
              "Уберите дату рождения и фамилию: оставьте имя и букву фамилии, например «Матвей Л.»."),
    "address": ("Фамилия и домашний адрес жителя — это личные данные",
                "Уберите домашний адрес: достаточно написать «жительница улицы Лесной». Фамилию "
                "тоже лучше убрать — «Мария Ивановна»."),
    "phone": ("Фамилия и личный телефон жителя — это личные данные",
              "Уберите личный номер: дайте телефон учреждения или попросите писать в сообщения."),
    "health": ("Фамилия человека рядом с его диагнозом — это врачебная тайна",
               "Уберите фамилию или подробности о болезни: «пациентка Людмила Петровна»."),
    "list": ("Список детей или участников конкурса с фамилиями — это личные данные",
             "Уберите фамилии: оставьте только имена («Арина, Глеб и Вероника») или напишите "
             "обобщённо — «ученики 7 класса», «выпускники группы «Солнышко»», «победители "
             "конкурса»."),
    "residents": ("Список жителей с фамилиями — это личные данные",
                  "Уберите фамилии: назовите людей по имени и отчеству («Анна Петровна») или "
                  "напишите обобщённо — «юбиляры месяца», «три многодетные семьи». Списки "
                  "должников и получателей выплат не публикуйте."),
}
LISTS = ("list", "residents")


def profanity(ctx: Context) -> Iterator[Item]:
    """Yield a blocking item for each obscene or insulting word, masked in the message."""
    for hit in ctx.doc.memo("profanity", lambda: find_profanity(ctx.doc.text)):
        shown = hit.fragment if "*" in hit.fragment else mask(hit.fragment.replace(" ", ""))
        yield Item(
            code="profanity",
            axis="moderation",
            severity="error",
            message=f"Грубое или нецензурное слово «{shown}»: такой пост нельзя публиковать",
            start=hit.start,
            end=hit.end,
            fragment=hit.fragment,
            suggestion="Замените слово на нейтральное или уберите его; цитату жителя перескажите "
            "своими словами.",
            gain=0.0,
        )


def _pd_item(text: str, f: Finding) -> Item:
    """Return the feedback item of one personal-data finding."""
    message, suggestion = PD_TEXT[f.kind]
    return Item(
        code="personal_data",
        axis="moderation",
        severity="error",
        message=message,
        start=f.start,
        end=f.end,
        fragment=text[f.start : f.end],
        suggestion=suggestion,
        gain=0.0,
    )


def personal_data(ctx: Context) -> Iterator[Item]:
    """Yield a blocking item for each piece of personal data of a private person."""
    text = ctx.doc.text
    found = ctx.doc.memo("personal_data", lambda: find_personal_data(text))
    lists = [f for f in found if f.kind in LISTS]
    for f in found:
        if f.kind not in LISTS and any(
                li.start <= f.start and f.end <= li.end + 40 for li in lists):
            continue  # one item for the whole list, not one per child
        item = _pd_item(text, f)
        if f.kind in LISTS and any(g.kind == "birth" and f.start <= g.start <= f.end for g in found):
            item.message = "Список людей с фамилиями и датами рождения — это личные данные"
        yield item
