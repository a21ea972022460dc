"""Enumerations shared by the models, the policy and the GraphQL schema."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    STREET = "STREET"
    COMMUNITY = "COMMUNITY"
    ENTERPRISE = "ENTERPRISE"
    MANAGER = "MANAGER"
    OWNER = "OWNER"
    DELEGATE = "DELEGATE"


class Position(enum.StrEnum):
    HEAD = "HEAD"
    CLERK = "CLERK"


class ProjectKind(enum.StrEnum):
    RESIDENTIAL = "RESIDENTIAL"  # 住宅
    URBAN_VILLAGE = "URBAN_VILLAGE"  # 城中村
    APARTMENT = "APARTMENT"  # 公寓
    OFFICE = "OFFICE"
    COMMERCIAL = "COMMERCIAL"
    INDUSTRIAL = "INDUSTRIAL"
    OTHER = "OTHER"


class OwnerVerification(enum.StrEnum):
    FACE = "FACE"  # 人脸核验
    OFFLINE = "OFFLINE"  # 线下核验
    UNVERIFIED = "UNVERIFIED"
