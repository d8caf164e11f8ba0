"""The demo news's words: fictional posts of a French primary school year."""

# (days after the start of the year, title, text, photos, comments open)
CLASS_POSTS: tuple[tuple[int, str, str, int, bool], ...] = (
    (
        3,
        "Bienvenue en {classe} !",
        "Bonjour à toutes et à tous,\n\nL'année commence ! Vous trouverez ici les nouvelles "
        "de la classe : sorties, projets et photos.\n\n- Pensez à marquer les vêtements.\n"
        "- La réunion de rentrée aura lieu jeudi à 17 h.",
        0,
        False,
    ),
    (
        37,
        "Sortie à la médiathèque",
        "Jeudi, nous sommes allés à la médiathèque. Chaque élève a emprunté un livre : "
        "lisez-le **avec lui** le soir, il le rapportera dans trois semaines.",
        2,
        True,
    ),
    (
        66,
        "Semaine du goût",
        "Cette semaine, nous avons goûté des fruits et légumes de saison : potimarron, "
        "pomme, poire et noix. Merci aux familles qui ont apporté des produits !",
        0,
        True,
    ),
    (
        104,
        "Notre spectacle de Noël",
        "Les élèves ont présenté leurs chants vendredi. Bravo à toutes et à tous !\n\n"
        "Belles fêtes de fin d'année.",
        2,
        True,
    ),
    (
        133,
        "Galette des rois",
        "Nous avons partagé la galette en classe. Les couronnes ont été décorées par les "
        "élèves *eux-mêmes*.",
        1,
        False,
    ),
    (
        172,
        "Carnaval de l'école",
        "Mardi après-midi, défilé dans la cour. Les costumes sont à apporter le matin dans "
        "un sac au nom de l'enfant.",
        2,
        True,
    ),
    (
        214,
        "Sortie au port",
        "Visite du port et de la Cité de la Voile. Prévoir un pique-nique, une casquette et "
        "de bonnes chaussures. Départ 8 h 45, retour 16 h.",
        2,
        True,
    ),
    (
        262,
        "Fête de fin d'année",
        "Merci pour cette belle année ! Les cahiers seront rendus le dernier jour.\n\n"
        "Bonnes vacances à tous.",
        1,
        True,
    ),
)

SCHOOL_POSTS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "Horaires de la rentrée",
        "L'école ouvre ses portes à 8 h 20. Les classes commencent à 8 h 30.\n\n"
        "- Accueil périscolaire dès 7 h 30\n- Sortie à 16 h 30",
    ),
    (
        45,
        "Photos de classe",
        "Le photographe passera mardi matin. Les photos de classe ne concernent que les "
        "élèves dont les familles ont donné leur accord.",
    ),
    (
        150,
        "Conseil d'école",
        "Le deuxième conseil d'école se tiendra jeudi à 18 h. Le compte rendu sera publié ici.",
    ),
    (
        280,
        "Kermesse",
        "La kermesse aura lieu samedi à partir de 10 h dans la cour. Jeux, tombola et "
        "buvette au profit de la coopérative scolaire.",
    ),
)

CITY_POSTS: tuple[tuple[int, str, str], ...] = (
    (
        0,
        "Un espace numérique pour les familles",
        "La ville ouvre Préau, l'espace numérique des écoles : nouvelles de la classe, "
        "cahier de liaison et messages aux enseignants, sur téléphone comme sur ordinateur.",
    ),
    (
        60,
        "Restauration scolaire",
        "Les menus du trimestre sont disponibles sur le site de la ville. Les repas sont "
        "préparés par la cuisine centrale avec des produits locaux.",
    ),
    (
        190,
        "Inscriptions scolaires",
        "Les inscriptions pour la rentrée prochaine sont ouvertes jusqu'au 31 mars à "
        "l'accueil de la mairie.",
    ),
)

COMMENTS = (
    "Merci pour ces nouvelles !",
    "Mon enfant a adoré, merci à toute l'équipe.",
    "Super, merci pour les photos.",
    "Bravo aux élèves !",
    "Merci, c'est noté.",
)
