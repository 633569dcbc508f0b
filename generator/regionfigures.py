"""A region's figures, counted from the catalogue at build time (the region page shows them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .site import Site


@dataclass(frozen=True)
class RegionFigures:
    cooperatives: int
    members: int
    women_members: int
    youth_members: int
    women_led: int  # cooperatives with the women-led badge
    youth_led: int
    jobs: int  # jobs the cooperatives declared
    jobs_declared_by: int  # how many of them declared their jobs
    products: int
    labelled_products: int  # products carrying a label (IGP, AOP, bio, …)
    ideas: int
    idea_jobs: int  # direct jobs the region's project ideas expect
    sectors: list[tuple[str, int]]  # cooperatives per sector, most first (then by id)

    @property
    def women_share(self) -> float:
        return self.women_members / self.members if self.members else 0.0

    @property
    def youth_share(self) -> float:
        return self.youth_members / self.members if self.members else 0.0


def figures(site: Site, region: str) -> RegionFigures:
    coops = site.cooperatives_by_region.get(region, [])
    products = site.products_by_region.get(region, [])
    projects = site.projects_by_region.get(region, [])
    declared = [c.jobs.count for c in coops if c.jobs is not None]
    sectors = Counter(c.sector for c in coops if c.sector in site.sectors)
    return RegionFigures(
        cooperatives=len(coops),
        members=sum(c.members.total for c in coops),
        women_members=sum(c.members.women for c in coops),
        youth_members=sum(c.members.youth for c in coops),
        women_led=sum(1 for c in coops if c.women_led),
        youth_led=sum(1 for c in coops if c.youth_led),
        jobs=sum(declared),
        jobs_declared_by=len(declared),
        products=len(products),
        labelled_products=sum(1 for p in products if p.labels),
        ideas=len(projects),
        idea_jobs=sum(i.jobs.direct for i in projects),
        sectors=sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])),
    )
