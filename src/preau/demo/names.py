"""Name lists for the demo world. Every person built from them is fictional.

Children's first names follow what French birth registers showed for 2015–2023 (with the
Breton flavour of Morbihan), parents' and teachers' those of 1970–1995. Family names mix
the common names of France and of Brittany; combinations are drawn at random, so any
resemblance to a real family is chance.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Split on spaces; an underscore joins two-word names ("LE_GOFF" → "LE GOFF")."""
    return tuple(word.replace("_", " ") for word in text.split())


GIRLS = _words(
    "Jade Louise Emma Alice Ambre Lina Rose Chloé Mia Léa Anna Mila Julia Romy Inès Léna "
    "Zoé Agathe Juliette Iris Lou Louna Nina Manon Camille Eva Margaux Lucie Clémence "
    "Adèle Victoire Charlotte Jeanne Gabrielle Capucine Maëlle Maïwenn Nolwenn Rozenn "
    "Clara Elsa Lya Giulia Lana Éléna Olivia Soline Lise Apolline Romane Maëlys Salomé "
    "Nour Sarah Yasmine Aya Maryam Lila Louisa Célestine Anaïs Héloïse Suzanne Marceline "
    "Léonie Margot Albane Gwenn Enora Solenn Morgane Léane Thaïs Naïa Ninon Alix Tess"
)

BOYS = _words(
    "Gabriel Léo Raphaël Louis Arthur Jules Maël Adam Lucas Hugo Nathan Noah Liam Paul "
    "Sacha Tom Gabin Éthan Aaron Mathis Timéo Nolan Théo Léon Malo Elouan Titouan Ewen "
    "Erwan Yann Tristan Gaël Baptiste Clément Martin Robin Victor Axel Noé Simon Eliott "
    "Mathéo Antoine Maxime Aurélien Romain Ilyes Ismaël Mohamed Rayan Younes Amir Ayoub "
    "Oscar Marius Augustin Côme Valentin Corentin Killian Loan Kylian Enzo Evan Naël "
    "Soan Ewenn Loévan Brieuc Ronan Goulven Jonas Milo Basile Nino Sohan Marin Owen"
)

WOMEN = _words(
    "Julie Céline Aurélie Sophie Émilie Stéphanie Sandrine Nathalie Isabelle Virginie "
    "Caroline Élodie Marion Anne Claire Hélène Laure Audrey Sarah Laetitia Karine Gaëlle "
    "Nolwenn Morgane Maud Cécile Delphine Magali Vanessa Mélanie Amandine Jessica "
    "Charlotte Pauline Anaïs Alexandra Florence Valérie Christelle Armelle Soazig "
    "Gwenaëlle Katell Rozenn Fatima Samira Leïla Nadia Aïcha Linh Mariana Ana Elif"
)

MEN = _words(
    "Nicolas Julien Sébastien Guillaume Mickaël Stéphane David Christophe Frédéric "
    "Jérôme Olivier Thomas Alexandre Cédric Vincent Mathieu Anthony Yannick Erwan Loïc "
    "Gwénaël Ronan Yann Tanguy Pierre-Yves Jean-Marc Benoît Fabien Arnaud Damien Ludovic "
    "Grégory Xavier François Laurent Pascal Samuel Florian Kévin Gaël Hervé Rachid "
    "Karim Mehdi Youssef Mamadou Moussa Duc Paulo Tiago Emre"
)

FAMILY_NAMES = _words(
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON "
    "MICHEL LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT "
    "LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFÈVRE FAURE ANDRÉ MERCIER BLANC "
    "GUÉRIN BOYER GARNIER CHEVALIER FRANÇOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN "
    "CLÉMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS "
    "DUMONT MARIE LEMAIRE NOËL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY "
    "RIVIÈRE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GÉRARD ROCHE RENARD "
    "SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD "
    "DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET "
    "ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER "
    "CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER "
    "FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRÉ CHARLES "
    "RENAULT CHARPENTIER MÉNARD MAILLARD BARON BERTIN BAILLY HERVÉ SCHNEIDER "
    "FERNANDEZ COLLET LÉGER BOUVIER JULIEN PRÉVOST MILLET PERROT DANIEL COUSIN "
    "GERMAIN BRETON BESSON LANGLOIS RÉMY PELLETIER LÉVÊQUE PERRIER LEBLANC BARRÉ "
    "LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ "
    "GUICHARD GILLET ÉTIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN "
    "BOUCHET GAY LEMAÎTRE BENARD MARÉCHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET "
    "BARTHÉLÉMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER "
    "LAPORTE JAFFRÉ GUÉGAN TANGUY MORVAN KERGOAT PENVERN RIOU CADIC DANIELOU "
    "QUÉRÉ JÉGO CORRIGNAN GUILLEMOT EVANNO LE_GOFF LE_GALL "
    "LE_ROUX LE_CORRE LE_BIHAN LE_FLOCH LE_PORT LE_DÛ "
    "LE_BRIS LE_BOULCH LE_MOUËL LE_GUENNEC LE_HÉNAFF "
    "LE_BRAS LE_CALVÉ LE_DORZE LE_PALLEC LE_TALLEC "
    "LE_NOUY LE_GOUIC LE_SCOUARNEC LE_BOURHIS LE_COZ "
    "LE_GUERN LE_QUÉRÉ LE_LAN LE_SAUX KERVÉVAN "
    "GUILLOUX LORCY LAUDRIN ÉZANNO LE_STRAT NDIAYE DIALLO TRAORÉ DIOP "
    "DA_SILVA FERREIRA PEREIRA NGUYEN TRAN BENALI HAMIDI MANSOURI YILMAZ "
    "KAYA OUEDRAOGO MENDY HADDAD BELKACEM CHERIF RAHMANI SAÏDI"
)
