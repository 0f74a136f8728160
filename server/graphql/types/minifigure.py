"""The Minifigure node: catalog data (prices are added by the price fields)."""

from __future__ import annotations

import strawberry

from server.graphql.node import to_global_id
from server.models import Minifigure as MinifigureRow


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID = strawberry.field(description="The global id; pass it to `node(id)`.")


@strawberry.type(description="A LEGO minifigure in the catalog.")
class Minifigure(Node):
    row: strawberry.Private[MinifigureRow]
    fig_num: str = strawberry.field(description="BrickLink-style fig number, e.g. `sw0001a`.")
    name: str = strawberry.field(description="The catalog name.")
    theme: str | None = strawberry.field(description="The theme, e.g. `Star Wars`.")
    year_released: int | None = strawberry.field(description="Year of first release.")
    num_parts: int | None = strawberry.field(description="Number of parts.")
    image_url: str | None = strawberry.field(description="A picture of the minifigure.")
    rebrickable_id: str | None = strawberry.field(
        description="Rebrickable's id, e.g. `fig-000001`."
    )
    brickowl_id: str | None = strawberry.field(description="BrickOwl's BOID.")

    @classmethod
    def from_row(cls, row: MinifigureRow) -> Minifigure:
        return cls(
            row=row,
            id=strawberry.ID(to_global_id("Minifigure", row.id)),
            fig_num=row.fig_num,
            name=row.name,
            theme=row.theme,
            year_released=row.year_released,
            num_parts=row.num_parts,
            image_url=row.image_url,
            rebrickable_id=row.rebrickable_id,
            brickowl_id=row.brickowl_id,
        )
